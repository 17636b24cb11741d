package io.execra.autoconfigure.jpa;

import java.util.Map;

import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.MappingSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Wraps whatever physical naming strategy the application configured (property, bean or Boot's default) in an
 * {@link ExecraPhysicalNamingStrategy}, so execra's tables get {@code execra.jdbc.table-prefix}. Runs last, after
 * every other customizer.
 */
final class ExecraTableNamingHibernatePropertiesCustomizer implements HibernatePropertiesCustomizer, Ordered {

	private final String tablePrefix;

	ExecraTableNamingHibernatePropertiesCustomizer(String tablePrefix) {
		this.tablePrefix = tablePrefix;
	}

	@Override
	public void customize(Map<String, Object> hibernateProperties) {
		PhysicalNamingStrategy configured = resolve(hibernateProperties.get(MappingSettings.PHYSICAL_NAMING_STRATEGY));
		hibernateProperties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY,
				new ExecraPhysicalNamingStrategy(configured, this.tablePrefix));
	}

	private static PhysicalNamingStrategy resolve(@Nullable Object strategy) {
		if (strategy == null) {
			return PhysicalNamingStrategyStandardImpl.INSTANCE;
		}
		if (strategy instanceof PhysicalNamingStrategy instance) {
			return instance;
		}
		Class<?> type = (strategy instanceof Class<?> cls) ? cls
				: ClassUtils.resolveClassName(strategy.toString(), ExecraTableNamingHibernatePropertiesCustomizer.class.getClassLoader());
		return BeanUtils.instantiateClass(type, PhysicalNamingStrategy.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
