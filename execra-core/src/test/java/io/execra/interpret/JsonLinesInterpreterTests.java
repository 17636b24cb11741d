package io.execra.interpret;

import io.execra.Progress;
import io.execra.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON-lines interpreter: every documented event type, and lines it must ignore.
 */
class JsonLinesInterpreterTests {

	@Test
	void emitsEveryDocumentedEventType() {
		RecordingContext context = RecordingContext.run(new JsonLinesInterpreter(), 0,
				"{\"type\":\"label\",\"text\":\"Sync\"}",
				"{\"type\":\"phase\",\"name\":\"download\",\"label\":\"Downloading\"}",
				"{\"type\":\"progress\",\"fraction\":0.5}",
				"{\"type\":\"progress\",\"percent\":75}",
				"{\"type\":\"progress\",\"done\":3,\"total\":4}",
				"{\"type\":\"progress\",\"bytes\":1024}",
				"{\"type\":\"progress\",\"hint\":\"waiting\"}",
				"{\"type\":\"phase_update\",\"label\":\"Almost\"}",
				"{\"type\":\"phase_end\"}",
				"{\"type\":\"warning\",\"code\":\"slow\",\"message\":\"mirror is slow\"}",
				"{\"type\":\"warning\",\"message\":\"no code\"}",
				"{\"type\":\"error\",\"code\":\"quota\",\"message\":\"quota exceeded\"}",
				"{\"type\":\"error\",\"message\":\"plain\"}",
				"{\"type\":\"finding\",\"severity\":\"warning\",\"code\":\"old\",\"message\":\"outdated\"}",
				"{\"type\":\"finding\",\"code\":\"n\",\"message\":\"note\"}",
				"{\"type\":\"summary\",\"text\":\"done\"}",
				"{\"type\":\"prompt\",\"message\":\"Continue?\"}");
		assertThat(context.calls).containsExactly("label(Sync)", "enter(download,Downloading)", "fraction(0.5)",
				"fraction(0.75)", "progress(Count[done=3, total=4])", "progress(Bytes[done=1024, total=null])",
				"busy(waiting)", "update(Almost)", "exit(download)", "warning(slow,mirror is slow)",
				"warning(null,no code)", "error(quota,quota exceeded)", "error(error,plain)",
				"finding(WARNING,old,outdated)", "finding(INFO,n,note)", "summary(done)", "prompt(Continue?)");
		assertThat(context.progress.get(2)).isEqualTo(Progress.count(3, 4));
		assertThat(context.findings.get(0).severity()).isEqualTo(Severity.WARNING);
	}

	@Test
	void ignoresLinesThatAreNotEvents() {
		RecordingContext context = RecordingContext.run(new JsonLinesInterpreter(), 0, "plain text", "",
				"{not json}", "[1,2]", "{\"no\":\"type\"}", "{\"type\":\"teleport\"}", "{\"type\":\"phase\"}",
				"{\"type\":\"warning\"}", "{\"type\":\"finding\",\"code\":\"x\"}", "{\"type\":\"progress\",\"fraction\":\"half\",\"hint\":\"h\"}",
				"  {\"type\":\"summary\",\"text\":\"indented\"}  ");
		assertThat(context.calls).containsExactly("busy(h)", "summary(indented)");
	}

}
