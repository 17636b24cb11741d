package io.execra.autoconfigure;

import java.util.Map;
import java.util.regex.Pattern;

import io.execra.ExecraRuntime;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ExecraRuntime} bean per {@code execra.runtimes.<name>}: named {@code <name>ExecraRuntime},
 * qualified with {@code <name>} and built by the {@link ExecraRuntimeFactory}. Named runtimes are not candidates for
 * unqualified injection, which keeps resolving to the default runtime. A bean definition the application already
 * registered under the same bean name wins.
 */
class ExecraNamedRuntimesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	/** Bean name suffix of named runtimes. */
	static final String BEAN_NAME_SUFFIX = "ExecraRuntime";

	private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (this.environment == null) {
			return;
		}
		Map<String, Object> runtimes = Binder.get(this.environment)
			.bind("execra.runtimes", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : runtimes.keySet()) {
			checkName(name);
			String beanName = name + BEAN_NAME_SUFFIX;
			if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, definition(name));
			}
		}
	}

	private static void checkName(String name) {
		if (ExecraProperties.DEFAULT_RUNTIME_NAME.equals(name)) {
			throw new InvalidExecraPropertyException("execra.runtimes." + name, null,
					"'" + name + "' is reserved for the default runtime, configured at 'execra.*'");
		}
		if (!NAME.matcher(name).matches()) {
			throw new InvalidExecraPropertyException("execra.runtimes", name,
					"a runtime name must be lower-case letters and digits, optionally separated by '-'");
		}
	}

	private static RootBeanDefinition definition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setTargetType(ExecraRuntime.class);
		definition.setFactoryBeanName(ExecraAutoConfiguration.RUNTIME_FACTORY_BEAN_NAME);
		definition.setFactoryMethodName("create");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		definition.setDefaultCandidate(false);
		definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
		return definition;
	}

}
