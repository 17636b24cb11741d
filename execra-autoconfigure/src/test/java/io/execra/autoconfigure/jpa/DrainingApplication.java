package io.execra.autoconfigure.jpa;

import java.time.Duration;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The child JVM of {@link SigtermDrainTests}: a Spring Boot application (with Boot's own shutdown hook) running the
 * default runtime with the JPA store. It starts a job that prints a line a second for five seconds and one that
 * never ends, prints {@code SHORT <id> <pid>}, {@code LONG <id> <pid>} and {@code READY} once both have printed
 * their first line, then waits for a signal.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
		DataJpaRepositoriesAutoConfiguration.class, ExecraAutoConfiguration.class, ExecraJpaAutoConfiguration.class })
public class DrainingApplication {

	/** Seconds the short job runs. */
	static final int SHORT_JOB_SECONDS = 5;

	/**
	 * Runs until the JVM is ended.
	 * @param args JDBC URL, user, password, table prefix, then more properties
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		String[] properties = new String[args.length];
		properties[0] = "spring.datasource.url=" + args[0];
		properties[1] = "spring.datasource.username=" + args[1];
		properties[2] = "spring.datasource.password=" + args[2];
		properties[3] = "execra.jdbc.table-prefix=" + args[3];
		System.arraycopy(args, 4, properties, 4, args.length - 4);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DrainingApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false",
					"execra.jdbc.initialize-schema=always", "spring.main.banner-mode=off",
					// the jobs are shell loops, which allow-shell: false refuses unless sh is listed
					"execra.security.allowed-programs=sh")
			.properties(properties)
			.run();
		ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
		JobHandle shortJob = runtime.spawn(Command
			.of("sh", "-c", "i=0; while [ $i -lt " + SHORT_JOB_SECONDS + " ]; do i=$((i+1)); echo tick $i; sleep 1; done")
			.label("short"));
		JobHandle longJob = runtime
			.spawn(Command.of("sh", "-c", "while true; do echo tick; sleep 1; done").label("long"));
		for (JobHandle job : new JobHandle[] { shortJob, longJob }) {
			while (job.snapshot().state() != JobState.RUNNING
					|| runtime.output(job.id(), 0, 1024, Duration.ofSeconds(1)).chunks().isEmpty()) {
				Thread.sleep(20);
			}
		}
		System.out.println("SHORT " + shortJob.id() + " " + shortJob.snapshot().pid());
		System.out.println("LONG " + longJob.id() + " " + longJob.snapshot().pid());
		System.out.println("READY");
		System.out.flush();
		Thread.sleep(Duration.ofMinutes(10).toMillis());
	}

}
