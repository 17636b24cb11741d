package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.SecurityPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns, once the singletons exist, about every {@link ExecraRuntime} bean that execra did not build and whose
 * security policy differs from the one {@code execra.security.*} describes: a runtime built with
 * {@link ExecraRuntime#builder()} rather than from the {@link io.execra.ExecraRuntimeBuilder} bean runs what its own
 * policy allows, whatever the properties say.
 */
final class ExecraRuntimePolicyCheck implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ExecraRuntimePolicyCheck.class);

	private final ListableBeanFactory beanFactory;

	private final ExecraRuntimeFactory factory;

	private final ExecraRuntimeBuilderConfigurer configurer;

	ExecraRuntimePolicyCheck(ListableBeanFactory beanFactory, ExecraRuntimeFactory factory,
			ExecraRuntimeBuilderConfigurer configurer) {
		this.beanFactory = beanFactory;
		this.factory = factory;
		this.configurer = configurer;
	}

	@Override
	public void afterSingletonsInstantiated() {
		SecurityPolicy configured = this.configurer.securityPolicy();
		this.beanFactory.getBeansOfType(ExecraRuntime.class).forEach((beanName, runtime) -> {
			@Nullable ExecraSettings settings = this.factory.created(runtime) ? null : runtime.settings();
			if (settings == null) {
				// built by execra, or a test double (a mock's settings are null)
				return;
			}
			List<String> bypassed = bypassed(configured, settings.securityPolicy());
			if (!bypassed.isEmpty()) {
				logger.warn("ExecraRuntime bean '" + beanName + "' bypasses the security policy of execra.security.*: "
						+ String.join("; ", bypassed) + ". Build it from the ExecraRuntimeBuilder bean to apply the "
						+ "execra.* settings, presets, listeners and meters");
			}
		});
	}

	/**
	 * The settings of the configured policy that a runtime's policy does not have.
	 * @param configured the policy of {@code execra.security.*}
	 * @param actual the runtime's policy
	 * @return one description per differing setting, empty if the policies agree
	 */
	static List<String> bypassed(SecurityPolicy configured, SecurityPolicy actual) {
		List<String> bypassed = new ArrayList<>();
		if (!configured.allowedPrograms().equals(actual.allowedPrograms())) {
			bypassed.add(difference("allowed-programs", programs(configured.allowedPrograms()),
					programs(actual.allowedPrograms())));
		}
		if (configured.allowShell() != actual.allowShell()) {
			bypassed.add(difference("allow-shell", configured.allowShell(), actual.allowShell()));
		}
		if (configured.envInheritance() != actual.envInheritance()) {
			bypassed.add(difference("env-inheritance", configured.envInheritance(), actual.envInheritance()));
		}
		if (!configured.envAllowList().equals(actual.envAllowList())) {
			bypassed.add(difference("env-allow-list", new TreeSet<>(configured.envAllowList()),
					new TreeSet<>(actual.envAllowList())));
		}
		if (!patterns(configured.redactPatterns()).equals(patterns(actual.redactPatterns()))) {
			bypassed.add(difference("redact-patterns", patterns(configured.redactPatterns()),
					patterns(actual.redactPatterns())));
		}
		return bypassed;
	}

	private static String difference(String property, Object configured, Object actual) {
		return property + " is " + configured + " but the runtime's is " + actual;
	}

	private static Object programs(Set<String> programs) {
		return programs.isEmpty() ? "any program" : new TreeSet<>(programs);
	}

	private static List<String> patterns(List<Pattern> patterns) {
		return patterns.stream().map(Pattern::pattern).toList();
	}

}
