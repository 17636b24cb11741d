package io.execra.sample.web;

import java.nio.file.Path;
import java.time.Clock;

import io.execra.JobId;
import io.execra.sample.SampleProperties;
import io.execra.sample.jobs.ClientJobLimit;
import io.execra.sample.jobs.JobLauncher;
import io.execra.sample.json.ExecraJsonModule;
import io.execra.sample.setup.SampleWorkspace;
import io.execra.test.ExecraTestRuntime;
import io.execra.test.autoconfigure.AutoConfigureExecraTestRuntime;
import io.execra.test.autoconfigure.ExecraTestRuntimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.execra.test.ExecraTestAssertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The job API's web layer, on the sample's real presets and placeholder rules but with scripted jobs: what a request
 * starts, what it is refused, and how jobs are listed, answered and cancelled. The tools themselves run in
 * {@code SampleApplicationTests}, {@code SampleAttackTests} and the browser tests.
 */
@WebMvcTest(JobController.class)
@AutoConfigureExecraTestRuntime
@Import(JobControllerTests.SampleServices.class)
class JobControllerTests {

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void workspace(DynamicPropertyRegistry registry) {
		registry.add("sample.work-dir", () -> temp.resolve("work").toString());
	}

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ExecraTestRuntimes runtimes;

	@Test
	void launchingABuildStartsItsPresetWithTheServersScriptAndTheRequestsOwner() throws Exception {
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"build\",\"parameters\":{\"project\":\"demo\",\"delay\":\"0\"},\"owner\":\"ann\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.state").value("FINALIZED"));
		assertThat(runtime()).spawnedPreset("build").hasArgument("demo").hasOwner("ann");
	}

	@Test
	void aValueItsPlaceholderRefusesIsABadRequestNamingItAndStartsNothing() throws Exception {
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"build\",\"parameters\":{\"project\":\"-c\",\"delay\":\"0\"}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.placeholder").value("project"));
		assertThat(runtime()).spawnedNothing();
	}

	@Test
	void unknownPresetAndMissingOrUnknownParametersAreBadRequestsWithExecrasMessage() throws Exception {
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"nope\",\"parameters\":{}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("Unknown preset 'nope'")));
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"build\",\"parameters\":{\"project\":\"x\"}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("needs a value for placeholder [delay]")));
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"build\",\"parameters\":{\"project\":\"x\",\"delay\":\"0\",\"colour\":\"red\"}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("has no placeholder [colour]")));
		assertThat(runtime()).spawnedNothing();
	}

	@Test
	void aMissingPresetOrANullValueIsABadRequestNamingItAndStartsNothing() throws Exception {
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("'preset' is required")));
		this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"build\",\"parameters\":{\"project\":null,\"delay\":\"0\"}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("placeholder 'project': the value is null")));
		assertThat(runtime()).spawnedNothing();
	}

	@Test
	void aPromptIsAnsweredThroughStdinAndTheJobGoesOn() throws Exception {
		runtime().whenPreset("build").prompt("Proceed with deploy? [y/N]").output("deployed");
		String id = launchBuild();
		this.mvc.perform(get("/api/jobs/" + id)).andExpect(jsonPath("$.job.state").value("RUNNING"));
		this.mvc.perform(post("/api/jobs/" + id + "/stdin").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("'text' is required")));
		this.mvc.perform(get("/api/jobs/" + id)).andExpect(jsonPath("$.job.state").value("RUNNING"));
		this.mvc.perform(post("/api/jobs/" + id + "/stdin").contentType(MediaType.APPLICATION_JSON)
			.content("{\"text\":\"y\\n\"}"))
			.andExpect(status().is2xxSuccessful());
		this.mvc.perform(get("/api/jobs/" + id))
			.andExpect(jsonPath("$.job.state").value("FINALIZED"))
			.andExpect(jsonPath("$.job.outcome.kind").value("succeeded"));
	}

	@Test
	void cancellingARunningJobEndsItCancelled() throws Exception {
		runtime().whenPreset("build").runsUntilCancelled();
		String id = launchBuild();
		this.mvc.perform(post("/api/jobs/" + id + "/cancel")).andExpect(status().isOk());
		this.mvc.perform(get("/api/jobs/" + id)).andExpect(jsonPath("$.job.outcome.kind").value("cancelled"));
	}

	@Test
	void jobsArePagedAndFilteredByTag() throws Exception {
		launchBuild();
		launchBuild();
		this.mvc.perform(get("/api/jobs?tag=build&size=1&page=0"))
			.andExpect(jsonPath("$.jobs.length()").value(1))
			.andExpect(jsonPath("$.total").value(2))
			.andExpect(jsonPath("$.jobs[0].tags[0]").value("build"));
		this.mvc.perform(get("/api/jobs?tag=vcs")).andExpect(jsonPath("$.jobs.length()").value(0));
	}

	@Test
	void unknownJobIsNotFoundAndAMalformedIdABadRequest() throws Exception {
		this.mvc.perform(get("/api/jobs/" + JobId.generate(Clock.systemUTC())))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.title").value("Unknown job"));
		this.mvc.perform(get("/api/jobs/not-a-uuid"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(containsString("'not-a-uuid' is not a job id")));
	}

	private String launchBuild() throws Exception {
		String body = this.mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON)
			.content("{\"preset\":\"build\",\"parameters\":{\"project\":\"demo\",\"delay\":\"0\"}}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return com.jayway.jsonpath.JsonPath.read(body, "$.id");
	}

	private ExecraTestRuntime runtime() {
		return this.runtimes.defaultRuntime();
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SampleProperties.class)
	@Import({ JobLauncher.class, SampleWorkspace.class, ClientJobLimit.class, ExecraJsonModule.class })
	static class SampleServices {

	}

}
