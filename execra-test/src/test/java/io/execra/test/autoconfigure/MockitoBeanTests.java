package io.execra.test.autoconfigure;

import java.util.Map;

import io.execra.ExecraRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static io.execra.test.ExecraTestAssertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(MediaApplication.MediaController.class)
@AutoConfigureExecraTestRuntime
class MockitoBeanTests {

	@MockitoBean
	private ExecraRuntime execra;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ExecraTestRuntimes runtimes;

	@Test
	void aMockitoBeanReplacesTheDefaultRuntimeWhileTheNamedOneStaysScripted() throws Exception {
		io.execra.JobHandle handle = mock(io.execra.JobHandle.class);
		when(handle.id()).thenReturn(io.execra.JobId.parse("01a24ba7-d94e-71e0-9557-bc679ca94a55"));
		when(this.execra.spawn(eq("transcode"), any())).thenReturn(handle);
		this.mvc.perform(post("/transcode").param("input", "x.mp4")).andExpect(status().isOk());
		verify(this.execra).spawn("transcode", Map.of("input", "x.mp4", "output", "out.webm"));
		this.mvc.perform(post("/rebuild").param("target", "all")).andExpect(status().isOk());
		assertThat(this.runtimes.named("batch")).spawnedPreset("rebuild").hasArguments("all");
	}

}
