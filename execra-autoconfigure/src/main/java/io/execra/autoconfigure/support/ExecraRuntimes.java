package io.execra.autoconfigure.support;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.autoconfigure.ExecraProperties;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The {@link ExecraRuntime} beans of a context by runtime name: {@value ExecraProperties#DEFAULT_RUNTIME_NAME} for
 * the bean {@code execraRuntime}, {@code <name>} for a named runtime's bean {@code <name>ExecraRuntime}, and the bean
 * name for any other runtime bean. Looks the beans up on every call, so call it after the context is refreshed.
 */
public final class ExecraRuntimes {

	private static final String DEFAULT_BEAN_NAME = "execraRuntime";

	private static final String NAMED_BEAN_SUFFIX = "ExecraRuntime";

	private final ListableBeanFactory beanFactory;

	/**
	 * Creates a view of the runtime beans of a bean factory.
	 * @param beanFactory the bean factory
	 */
	public ExecraRuntimes(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * The runtimes by name: the default runtime first, then the others by name.
	 * @return the runtimes
	 */
	public Map<String, ExecraRuntime> byName() {
		Map<String, ExecraRuntime> beans = this.beanFactory.getBeansOfType(ExecraRuntime.class);
		Map<String, ExecraRuntime> runtimes = new LinkedHashMap<>();
		beans.entrySet()
			.stream()
			.map((entry) -> Map.entry(runtimeName(entry.getKey()), entry.getValue()))
			.sorted(Comparator.comparing((Map.Entry<String, ExecraRuntime> entry) -> !isDefault(entry.getKey()))
				.thenComparing(Map.Entry::getKey))
			.forEach((entry) -> runtimes.put(entry.getKey(), entry.getValue()));
		return runtimes;
	}

	/**
	 * The runtime name of a runtime bean.
	 * @param beanName the bean name
	 * @return the runtime name
	 */
	public static String runtimeName(String beanName) {
		if (DEFAULT_BEAN_NAME.equals(beanName)) {
			return ExecraProperties.DEFAULT_RUNTIME_NAME;
		}
		if (beanName.endsWith(NAMED_BEAN_SUFFIX) && beanName.length() > NAMED_BEAN_SUFFIX.length()) {
			return beanName.substring(0, beanName.length() - NAMED_BEAN_SUFFIX.length());
		}
		return beanName;
	}

	private static boolean isDefault(String runtimeName) {
		return ExecraProperties.DEFAULT_RUNTIME_NAME.equals(runtimeName);
	}

}
