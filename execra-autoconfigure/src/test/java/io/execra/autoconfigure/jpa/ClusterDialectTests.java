package io.execra.autoconfigure.jpa;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ClusterDialect#of(String, String)}: which databases cluster mode runs on, as their JDBC drivers
 * name them, and the refusal of the others.
 */
class ClusterDialectTests {

	@Test
	void postgresqlFrom96() {
		assertThat(ClusterDialect.of("PostgreSQL", "16.4 (Debian 16.4-1.pgdg120+2)")).isEqualTo(ClusterDialect.POSTGRESQL);
		assertThat(ClusterDialect.of("PostgreSQL", "9.6.24")).isEqualTo(ClusterDialect.POSTGRESQL);
		assertThatExceptionOfType(ClusterDatabaseUnsupportedException.class)
			.isThrownBy(() -> ClusterDialect.of("PostgreSQL", "9.5.25"))
			.withMessageContaining("PostgreSQL 9.5.25")
			.withMessageContaining("SKIP LOCKED");
	}

	@Test
	void mariadbFrom106AsEitherDriverReportsIt() {
		assertThat(ClusterDialect.of("MariaDB", "11.4.2-MariaDB-ubu2404")).isEqualTo(ClusterDialect.MARIADB);
		assertThat(ClusterDialect.of("MariaDB", "10.6.0-MariaDB")).isEqualTo(ClusterDialect.MARIADB);
		assertThat(ClusterDialect.of("MySQL", "5.5.5-10.11.6-MariaDB")).isEqualTo(ClusterDialect.MARIADB);
		assertThatExceptionOfType(ClusterDatabaseUnsupportedException.class)
			.isThrownBy(() -> ClusterDialect.of("MariaDB", "10.5.23-MariaDB"))
			.withMessageContaining("MariaDB 10.5.23-MariaDB")
			.withMessageContaining("MariaDB 10.6 or later");
		assertThatExceptionOfType(ClusterDatabaseUnsupportedException.class)
			.isThrownBy(() -> ClusterDialect.of("MySQL", "5.5.5-10.3.39-MariaDB"));
	}

	@Test
	void mysqlFrom801() {
		assertThat(ClusterDialect.of("MySQL", "8.0.36")).isEqualTo(ClusterDialect.MARIADB);
		assertThatExceptionOfType(ClusterDatabaseUnsupportedException.class)
			.isThrownBy(() -> ClusterDialect.of("MySQL", "8.0.0-dmr"));
		assertThatExceptionOfType(ClusterDatabaseUnsupportedException.class)
			.isThrownBy(() -> ClusterDialect.of("MySQL", "5.7.44"))
			.withMessageContaining("MySQL 5.7.44");
	}

	@Test
	void h2ForSingleNodeTests() {
		assertThat(ClusterDialect.of("H2", "2.3.232 (2024-08-11)")).isEqualTo(ClusterDialect.H2);
	}

	@Test
	void otherDatabasesAreRefusedByName() {
		assertThatExceptionOfType(ClusterDatabaseUnsupportedException.class)
			.isThrownBy(() -> ClusterDialect.of("Apache Derby", "10.16.1.1"))
			.withMessageStartingWith("Cluster mode (execra.cluster.enabled=true) is not supported on Apache Derby"
					+ " 10.16.1.1: it needs PostgreSQL 9.6 or later")
			.satisfies((ex) -> assertThat(ex.getDatabase()).isEqualTo("Apache Derby 10.16.1.1"));
	}

	@Test
	void theFailureAnalysisSaysWhatToDo() {
		ClusterDatabaseUnsupportedException refused = new ClusterDatabaseUnsupportedException("HSQL Database Engine 2.7.3");
		FailureAnalysis analysis = new ClusterDatabaseFailureAnalyzer()
			.analyze(new IllegalStateException("context failed", refused));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("HSQL Database Engine 2.7.3");
		assertThat(analysis.getAction()).contains("execra.cluster.enabled=false").contains("PostgreSQL 9.6");
	}

}
