package io.execra.test.autoconfigure;

import java.util.Map;

import io.execra.ExecraRuntime;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An application as users write them: a controller that starts presets on the default and a named runtime. */
@SpringBootApplication
class MediaApplication {

	@RestController
	static class MediaController {

		private final ExecraRuntime execra;

		private final ExecraRuntime batch;

		MediaController(ExecraRuntime execra, @Qualifier("batch") ExecraRuntime batch) {
			this.execra = execra;
			this.batch = batch;
		}

		@PostMapping("/transcode")
		String transcode(@RequestParam String input) {
			return this.execra.spawn("transcode", Map.of("input", input, "output", "out.webm")).id().toString();
		}

		@PostMapping("/rebuild")
		String rebuild(@RequestParam String target) {
			return this.batch.spawn("rebuild", Map.of("target", target)).id().toString();
		}

	}

}
