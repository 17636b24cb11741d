/**
 * The application each node of a test cluster runs, in a child JVM of the tests.
 */
@NullMarked
package io.execra.clustertests.node;

import org.jspecify.annotations.NullMarked;
