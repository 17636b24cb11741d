package io.execra.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraListener;
import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.OutputLimitStrategy;
import io.execra.Pump;
import io.execra.RawOutputPolicy;
import io.execra.SecurityPolicy;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraAutoConfiguration}: the runtime beans and the properties that reach them.
 */
class ExecraAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@Test
	void defaultRuntimeHasTheCoreDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ExecraRuntime.class).hasBean("execraRuntime");
			ExecraSettings settings = context.getBean(ExecraRuntime.class).settings();
			ExecraSettings core = ExecraRuntime.builder().settings();
			assertThat(settings).usingRecursiveComparison()
				.ignoringFields("store", "nodeId", "clock", "securityPolicy", "listeners", "presets")
				.isEqualTo(core);
			assertThat(settings.store()).isInstanceOf(InMemoryJobStore.class);
			assertThat(settings.securityPolicy()).isEqualTo(
					new SecurityPolicy(java.util.Set.of(), false, SecurityPolicy.EnvInheritance.INHERIT,
							java.util.Set.of(), List.of()));
			assertThat(settings.presets()).isEmpty();
			assertThat(settings.virtualThreads()).isFalse();
		});
	}

	@Test
	void everyPropertyReachesTheRuntime(@TempDir Path directory) {
		this.contextRunner.withPropertyValues("execra.max-concurrent=3", "execra.queue-capacity=17",
				"execra.default-timeout=90", "execra.max-timeout=2h", "execra.cancel-grace-period=7s",
				"execra.drain-grace-period=500ms", "execra.replay.max-events=99", "execra.replay.max-size=2MB",
				"execra.max-line-length=1000", "execra.retained-output.max-size=3KB",
				"execra.retained-output.max-lines=42", "execra.output-limit.max-size=10MB",
				"execra.output-limit.strategy=spill-to-file", "execra.output-tail-size=512B",
				"execra.raw-output.policy=file-gzip", "execra.raw-output.directory=" + directory,
				"execra.max-in-memory-jobs=5", "execra.subscriber-buffer-size=64",
				"execra.subscriber-buffer-max-size=3MB",
				"execra.stdin.buffer-size=64KB", "execra.stdin.write-timeout=45", "execra.store.buffer-capacity=11",
				"execra.store.write-timeout=3", "execra.partial-line-timeout=100ms", "execra.heartbeat-interval=20s",
				"execra.stale-node-timeout=5m", "execra.pump=threads",
				"execra.node-id=node-a", "execra.security.allowed-programs=echo,/usr/bin/printf",
				"execra.security.allow-shell=true", "execra.security.env-inheritance=allow-list",
				"execra.security.env-allow-list=PATH,HOME", "execra.security.redact-patterns[0]=secret-\\w+")
			.run((context) -> {
				ExecraSettings settings = context.getBean(ExecraRuntime.class).settings();
				assertThat(settings.maxConcurrent()).isEqualTo(3);
				assertThat(settings.queueCapacity()).isEqualTo(17);
				assertThat(settings.defaultTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(settings.maxTimeout()).isEqualTo(Duration.ofHours(2));
				assertThat(settings.cancelGracePeriod()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.drainGracePeriod()).isEqualTo(Duration.ofMillis(500));
				assertThat(settings.partialLineTimeout()).isEqualTo(Duration.ofMillis(100));
				assertThat(settings.replay().maxEvents()).isEqualTo(99);
				assertThat(settings.replay().maxBytes()).isEqualTo(2 * 1024 * 1024);
				assertThat(settings.maxLineLength()).isEqualTo(1000);
				assertThat(settings.pump()).isEqualTo(Pump.THREADS);
				assertThat(settings.retainedOutput().maxBytes()).isEqualTo(3 * 1024);
				assertThat(settings.retainedOutput().maxLines()).isEqualTo(42);
				assertThat(settings.outputLimit().maxBytes()).isEqualTo(10 * 1024 * 1024);
				assertThat(settings.outputLimit().strategy()).isEqualTo(OutputLimitStrategy.SPILL_TO_FILE);
				assertThat(settings.outputTailBytes()).isEqualTo(512);
				assertThat(settings.rawOutput().policy()).isEqualTo(RawOutputPolicy.FILE_GZIP);
				assertThat(settings.rawOutput().directory()).isEqualTo(directory);
				assertThat(settings.maxInMemoryJobs()).isEqualTo(5);
				assertThat(settings.subscriberBufferSize()).isEqualTo(64);
				assertThat(settings.subscriberBufferMaxBytes()).isEqualTo(3 * 1024 * 1024);
				assertThat(settings.stdin().bufferBytes()).isEqualTo(64 * 1024);
				assertThat(settings.stdin().writeTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(settings.storeWrites().bufferCapacity()).isEqualTo(11);
				assertThat(settings.storeWrites().writeTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
				assertThat(settings.staleNodeTimeout()).isEqualTo(Duration.ofMinutes(5));
				assertThat(settings.nodeId()).isEqualTo("node-a");
				SecurityPolicy security = settings.securityPolicy();
				assertThat(security.allowedPrograms()).containsExactlyInAnyOrder("echo", "/usr/bin/printf");
				assertThat(security.allowShell()).isTrue();
				assertThat(security.envInheritance()).isEqualTo(SecurityPolicy.EnvInheritance.ALLOW_LIST);
				assertThat(security.envAllowList()).containsExactlyInAnyOrder("PATH", "HOME");
				assertThat(security.redact("key secret-abc1 end")).isEqualTo("key ****** end");
			});
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theEventLoopPumpIsChosenByItsKebabCaseName() {
		this.contextRunner.withPropertyValues("execra.pump=event-loop").run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThat(runtime.settings().pump()).isEqualTo(Pump.EVENT_LOOP);
			JobHandle job = runtime.spawn(Command.of("echo", "pumped"));
			assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		});
	}

	@Test
	void namedRuntimesAreQualifiedBeansThatInheritTopLevelSettings() {
		this.contextRunner
			.withPropertyValues("execra.queue-capacity=7", "execra.runtimes.media.max-concurrent=2",
					"execra.runtimes.media.security.allowed-programs=ffmpeg", "execra.runtimes.git.queue-capacity=3")
			.withUserConfiguration(InjectionConfiguration.class)
			.run((context) -> {
				assertThat(context).hasBean("mediaExecraRuntime").hasBean("gitExecraRuntime");
				InjectionConfiguration.Injected injected = context.getBean(InjectionConfiguration.Injected.class);
				assertThat(injected.unqualified()).isSameAs(context.getBean("execraRuntime"));
				assertThat(injected.media()).isSameAs(context.getBean("mediaExecraRuntime"));
				assertThat(injected.git()).isSameAs(context.getBean("gitExecraRuntime"));
				ExecraSettings media = injected.media().settings();
				assertThat(media.maxConcurrent()).isEqualTo(2);
				assertThat(media.queueCapacity()).isEqualTo(7);
				assertThat(media.securityPolicy().allowedPrograms()).containsExactly("ffmpeg");
				assertThat(injected.git().settings().queueCapacity()).isEqualTo(3);
				ExecraSettings defaults = injected.unqualified().settings();
				assertThat(defaults.maxConcurrent()).isEqualTo(ExecraSettings.defaultMaxConcurrent());
				assertThat(defaults.securityPolicy().allowedPrograms()).isEmpty();
			});
	}

	@Test
	void namedRuntimesAppendTheirNameToAnInheritedNodeId() {
		this.contextRunner
			.withPropertyValues("execra.node-id=node-a", "execra.runtimes.media.max-concurrent=1",
					"execra.runtimes.git.node-id=git-node")
			.run((context) -> {
				assertThat(context.getBean("execraRuntime", ExecraRuntime.class).settings().nodeId())
					.isEqualTo("node-a");
				assertThat(context.getBean("mediaExecraRuntime", ExecraRuntime.class).settings().nodeId())
					.isEqualTo("node-a-media");
				assertThat(context.getBean("gitExecraRuntime", ExecraRuntime.class).settings().nodeId())
					.isEqualTo("git-node");
			});
	}

	@Test
	void defaultRuntimeBacksOffWhenTheApplicationDefinesOne() {
		this.contextRunner.withUserConfiguration(UserRuntimeConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ExecraRuntime.class).hasBean("userRuntime")
				.doesNotHaveBean("execraRuntime");
			assertThat(context.getBean(ExecraRuntime.class).settings().maxConcurrent()).isEqualTo(1);
		});
	}

	@Test
	void namedRuntimeBacksOffWhenTheApplicationDefinesABeanOfItsName() {
		this.contextRunner.withPropertyValues("execra.runtimes.media.max-concurrent=2")
			.withUserConfiguration(UserNamedRuntimeConfiguration.class)
			.run((context) -> assertThat(context.getBean("mediaExecraRuntime", ExecraRuntime.class).settings()
				.maxConcurrent()).isEqualTo(1));
	}

	@Test
	void customizersApplyInOrderToEveryRuntimeAfterProperties() {
		this.contextRunner.withPropertyValues("execra.queue-capacity=5", "execra.runtimes.media.max-concurrent=2")
			.withUserConfiguration(CustomizerConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(ExecraRuntime.class).settings().queueCapacity()).isEqualTo(20);
				assertThat(context.getBean("mediaExecraRuntime", ExecraRuntime.class).settings().queueCapacity())
					.isEqualTo(20);
				assertThat(context.getBean(CustomizerConfiguration.class).seen).containsExactly("default:first",
						"default:second", "media:first", "media:second");
			});
	}

	@Test
	void jobStoreBeanKeepsTheHistory() {
		this.contextRunner.withUserConfiguration(StoreConfiguration.class).run((context) -> {
			JobStore store = context.getBean(JobStore.class);
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThat(runtime.settings().store()).isSameAs(store);
			JobHandle handle = runtime.spawn(Command.of("echo", "stored"));
			handle.await();
			runtime.shutdown(Duration.ofSeconds(5));
			assertThat(store.find(handle.id())).map(Job::state).contains(JobState.FINALIZED);
		});
	}

	@Test
	void listenerBeansAreRegisteredOnEveryRuntime() {
		this.contextRunner.withPropertyValues("execra.runtimes.media.max-concurrent=2")
			.withUserConfiguration(ListenerConfiguration.class)
			.run((context) -> {
				ExecraListener listener = context.getBean(ExecraListener.class);
				assertThat(context.getBean(ExecraRuntime.class).settings().listeners()).containsExactly(listener);
				assertThat(context.getBean("mediaExecraRuntime", ExecraRuntime.class).settings().listeners())
					.containsExactly(listener);
			});
	}

	@Test
	void eventBridgeIsConfiguredByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ExecraEventBridge.class));
	}

	@Test
	void eventPublicationCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("execra.events.publish=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ExecraEventBridge.class)
				.hasSingleBean(ExecraRuntime.class));
	}

	@Test
	void presetsAreRegisteredOnTheirRuntime() {
		this.contextRunner
			.withPropertyValues("execra.runtimes.media.max-concurrent=1", "execra.commands.hello.program=echo",
					"execra.commands.hello.args={greeting}", "execra.commands.transcode.program=ffmpeg",
					"execra.commands.transcode.args=-i,{input},{output}", "execra.commands.transcode.runtime=media",
					"execra.commands.transcode.timeout=600", "execra.commands.transcode.tags=media,video",
					"execra.commands.transcode.success-exit-codes=0,1", "execra.commands.transcode.label=To {output}",
					"execra.commands.transcode.env.LANG=C", "execra.commands.transcode.cwd=/tmp/{output}")
			.run((context) -> {
				ExecraRuntime defaults = context.getBean(ExecraRuntime.class);
				ExecraRuntime media = context.getBean("mediaExecraRuntime", ExecraRuntime.class);
				assertThat(defaults.presets()).containsOnlyKeys("hello");
				assertThat(media.presets()).containsOnlyKeys("transcode");
				Command command = media.presets().get("transcode").render(Map.of("input", "a.mov", "output", "b.mp4"));
				assertThat(command.argv()).containsExactly("ffmpeg", "-i", "a.mov", "b.mp4");
				assertThat(command.timeout()).isEqualTo(Duration.ofMinutes(10));
				assertThat(command.tags()).containsExactlyInAnyOrder("media", "video");
				assertThat(command.successExitCodes()).containsExactly(0, 1);
				assertThat(command.label()).isEqualTo("To b.mp4");
				assertThat(command.environment(Map.of())).containsEntry("LANG", "C");
				assertThat(command.cwd()).isEqualTo(Path.of("/tmp/b.mp4"));
			});
	}

	@Test
	void platformThreadsAreUsedWhenVirtualThreadsAreNotEnabled() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ExecraRuntime.class).settings().virtualThreads())
			.isFalse());
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsAreUsedWhenEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(ExecraRuntime.class).settings().virtualThreads()).isTrue());
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsAreNotUsedBeforeJava21EvenWhenEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(ExecraRuntime.class).settings().virtualThreads()).isFalse());
	}

	@Configuration(proxyBeanMethods = false)
	static class InjectionConfiguration {

		@Bean
		Injected injected(ExecraRuntime unqualified, @Qualifier("media") ExecraRuntime media,
				@Qualifier("git") ExecraRuntime git) {
			return new Injected(unqualified, media, git);
		}

		record Injected(ExecraRuntime unqualified, ExecraRuntime media, ExecraRuntime git) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRuntimeConfiguration {

		@Bean
		ExecraRuntime userRuntime() {
			return ExecraRuntime.builder().maxConcurrent(1).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserNamedRuntimeConfiguration {

		@Bean
		ExecraRuntime mediaExecraRuntime() {
			return ExecraRuntime.builder().maxConcurrent(1).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final List<String> seen = new ArrayList<>();

		@Bean
		@Order(2)
		ExecraRuntimeCustomizer second() {
			return (name, builder) -> {
				this.seen.add(name + ":second");
				builder.queueCapacity(20);
			};
		}

		@Bean
		@Order(1)
		ExecraRuntimeCustomizer first() {
			return (name, builder) -> {
				this.seen.add(name + ":first");
				builder.queueCapacity(10);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StoreConfiguration {

		@Bean
		InMemoryJobStore jobStore() {
			return new InMemoryJobStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		ExecraListener listener() {
			return new ExecraListener() {
			};
		}

	}

}
