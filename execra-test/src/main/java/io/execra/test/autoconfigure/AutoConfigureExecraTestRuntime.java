package io.execra.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Replaces every execra runtime bean of the test's context, the default {@code execraRuntime} and each named
 * runtime of {@code execra.runtimes.<name>}, with an {@link io.execra.test.ExecraTestRuntime} that has the same
 * bean name, qualifier, presets and security policy but starts no process. Works in slice tests such as
 * {@code @WebMvcTest} (it brings execra's auto-configuration along) and in {@code @SpringBootTest}; a
 * {@code @MockitoBean} for a runtime still replaces that runtime. Script jobs and assert on spawns through the
 * {@link ExecraTestRuntimes} bean; runtimes are reset after each test method.
 * <pre>{@code
 * @WebMvcTest(MediaController.class)
 * @AutoConfigureExecraTestRuntime
 * class MediaControllerTests {
 *     @Autowired ExecraTestRuntimes runtimes;
 *     ...
 *     runtimes.defaultRuntime().whenPreset("transcode").progress(0.5).succeeds();
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureExecraTestRuntime {

}
