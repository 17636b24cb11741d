package io.execra.clustertests.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One node of a test cluster: a Spring Boot web application with the execra starter on the JPA store, started in a
 * child JVM by {@code ClusterNodes}, which passes the database, port, node id and presets as arguments. Exposes over
 * HTTP what the tests drive ({@link NodeController}) and Actuator.
 * <p>
 * The node watches its standard input: the harness keeps the pipe open for the node's whole life, so end of input
 * means the test JVM is gone (even killed with {@code SIGKILL}). The node then kills its descendants (the jobs'
 * processes) and halts, so that no test leaves a stray JVM or process behind.
 */
@SpringBootApplication
public class ClusterNodeApplication {

	/** What every node runs with unless an argument says otherwise. */
	private static final Map<String, Object> DEFAULTS = Map.ofEntries(Map.entry("spring.main.banner-mode", "off"),
			Map.entry("spring.jpa.open-in-view", "false"), Map.entry("spring.jpa.hibernate.ddl-auto", "validate"),
			Map.entry("spring.threads.virtual.enabled", "true"), Map.entry("server.address", "127.0.0.1"),
			Map.entry("execra.jdbc.initialize-schema", "always"),
			Map.entry("management.endpoints.web.exposure.include", "health,execra"),
			Map.entry("management.endpoint.health.show-details", "always"),
			Map.entry("logging.level.root", "warn"), Map.entry("logging.level.io.execra", "info"));

	public static void main(String[] args) {
		Thread watchdog = new Thread(ClusterNodeApplication::haltWhenParentIsGone, "parent-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		SpringApplication application = new SpringApplication(ClusterNodeApplication.class);
		application.setDefaultProperties(DEFAULTS);
		application.run(args);
	}

	private static void haltWhenParentIsGone() {
		InputStream in = System.in;
		byte[] buffer = new byte[64];
		try {
			while (in.read(buffer) >= 0) {
				// the harness writes nothing; anything read is ignored
			}
		}
		catch (IOException ex) {
			// a broken pipe means the same as end of input
		}
		ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
		Runtime.getRuntime().halt(3);
	}

}
