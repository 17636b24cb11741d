/**
 * Implementation of the runtime; not API, may change without notice.
 */
@NullMarked
package io.execra.internal;

import org.jspecify.annotations.NullMarked;
