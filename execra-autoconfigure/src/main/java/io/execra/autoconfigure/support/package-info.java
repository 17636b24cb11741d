/**
 * Support shared by execra's Actuator, metrics and retention integrations: the runtime beans by runtime name.
 */
@NullMarked
package io.execra.autoconfigure.support;

import org.jspecify.annotations.NullMarked;
