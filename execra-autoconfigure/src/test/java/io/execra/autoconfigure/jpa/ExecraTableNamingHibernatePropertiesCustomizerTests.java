package io.execra.autoconfigure.jpa;

import java.util.HashMap;
import java.util.Map;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.boot.model.naming.PhysicalNamingStrategySnakeCaseImpl;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.MappingSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraTableNamingHibernatePropertiesCustomizer} and {@link ExecraPhysicalNamingStrategy}.
 */
class ExecraTableNamingHibernatePropertiesCustomizerTests {

	@Test
	void prefixesExecraTablesKeepingTheirCase() {
		PhysicalNamingStrategy strategy = customize(new HashMap<>(), "Hist_");
		assertThat(strategy.toPhysicalTableName(Identifier.toIdentifier("EXECRA_JOB_TAG"), null).getText())
			.isEqualTo("Hist_JOB_TAG");
	}

	@Test
	void leavesTheApplicationsTablesToItsStrategy() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, PhysicalNamingStrategySnakeCaseImpl.class.getName());
		PhysicalNamingStrategy strategy = customize(properties, "EXECRA_");
		assertThat(strategy.toPhysicalTableName(Identifier.toIdentifier("OrderLine"), null).getText())
			.isEqualTo("order_line");
		assertThat(strategy.toPhysicalTableName(Identifier.toIdentifier("EXECRA_JOB"), null).getText())
			.isEqualTo("EXECRA_JOB");
	}

	@Test
	void wrapsAStrategyGivenAsInstanceOrClass() {
		PhysicalNamingStrategy instance = new PhysicalNamingStrategySnakeCaseImpl();
		assertThat(((ExecraPhysicalNamingStrategy) customize(
				new HashMap<>(Map.of(MappingSettings.PHYSICAL_NAMING_STRATEGY, instance)), "X_")).delegate())
			.isSameAs(instance);
		assertThat(((ExecraPhysicalNamingStrategy) customize(new HashMap<>(
				Map.of(MappingSettings.PHYSICAL_NAMING_STRATEGY, PhysicalNamingStrategySnakeCaseImpl.class)), "X_"))
			.delegate()).isInstanceOf(PhysicalNamingStrategySnakeCaseImpl.class);
		assertThat(((ExecraPhysicalNamingStrategy) customize(new HashMap<>(), "X_")).delegate())
			.isSameAs(PhysicalNamingStrategyStandardImpl.INSTANCE);
	}

	private static PhysicalNamingStrategy customize(Map<String, Object> properties, String prefix) {
		new ExecraTableNamingHibernatePropertiesCustomizer(prefix).customize(properties);
		return (PhysicalNamingStrategy) properties.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
	}

}
