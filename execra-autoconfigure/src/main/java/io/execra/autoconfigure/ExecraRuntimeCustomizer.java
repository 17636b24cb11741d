package io.execra.autoconfigure;

import io.execra.ExecraRuntimeBuilder;

/**
 * Callback to customize an {@link io.execra.ExecraRuntime} before it is built, after the {@code execra.*}
 * properties were applied. Customizer beans are applied in {@link org.springframework.core.Ordered order} to the
 * default runtime and to every named runtime.
 */
@FunctionalInterface
public interface ExecraRuntimeCustomizer {

	/**
	 * Customizes a runtime's builder.
	 * @param runtimeName {@link ExecraProperties#DEFAULT_RUNTIME_NAME} for the default runtime, else the name
	 * under {@code execra.runtimes}
	 * @param builder the builder
	 */
	void customize(String runtimeName, ExecraRuntimeBuilder builder);

}
