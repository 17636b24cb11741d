package io.execra.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End-to-end test of the sample's UI in a real headless Chromium: start jobs from the page, watch a progress bar
 * move, answer a prompt, cancel a job, and find finished jobs in the history after the application restarted on
 * the same file-based H2 database.
 * <p>
 * Skipped when Chromium or chromedriver is missing, unless {@code EXECRA_TEST_REQUIRE_BROWSER=true} (CI sets it):
 * then it fails.
 */
class BrowserEndToEndTests {

	private static final Path CHROMIUM = Path.of(System.getProperty("execra.test.chromium", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getProperty("execra.test.chromedriver", "/usr/bin/chromedriver"));

	private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	private static final Path SCREENSHOT = Path.of("target/execra-sample-ui.png");

	@TempDir
	static Path temp;

	private static ConfigurableApplicationContext app;

	private static WebDriver browser;

	private static ChromeDriverService driverService;

	@BeforeAll
	static void startAppAndBrowser() throws IOException {
		requireBrowser();
		app = startApp();
		driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1800",
				"--user-data-dir=" + Files.createTempDirectory(temp, "chromium-profile-"));
		browser = new ChromeDriver(driverService, options);
	}

	@AfterAll
	static void stopBrowserAndApp() {
		if (browser != null) {
			browser.quit();
		}
		if (driverService != null) {
			driverService.stop();
		}
		if (app != null) {
			app.close();
		}
	}

	@BeforeEach
	void openPage() {
		browser.get(baseUrl());
		await().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "open"));
	}

	@AfterEach
	void closeJobView() {
		browser.findElements(By.cssSelector("#job-view:not([hidden]) #job-close")).forEach(WebElement::click);
	}

	@Test
	void transcodeStartedFromThePageShowsItsProgressBarRisingToTheEnd() {
		String jobId = start("transcode");
		WebElement bar = browser.findElement(By.cssSelector("#job-rows progress[data-job-id='" + jobId + "']"));

		double first = awaitProgressAbove(bar, 0.0);
		double later = awaitProgressAbove(bar, first);

		assertThat(later).as("progress of transcode job %s", jobId).isGreaterThan(first);
		awaitOutcome(jobId, "succeeded");
		assertThat(progressOf(bar)).isEqualTo(1.0);
		assertThat(browser.findElement(By.id("log")).getText()).contains("progress=end");
	}

	@Test
	void buildPromptIsAnsweredFromThePage() throws IOException {
		String jobId = start("build");
		WebElement prompt = await().until(ExpectedConditions.visibilityOfElementLocated(By.id("prompt")));
		assertThat(browser.findElement(By.id("prompt-text")).getText()).isEqualTo("Proceed with deploy? [y/N]");
		assertThat(browser.findElement(By.id("warning-count")).getText()).isEqualTo("2");
		assertThat(browser.findElements(By.cssSelector("#findings li"))).hasSize(3);
		screenshot();

		prompt.findElement(By.id("prompt-answer")).sendKeys("y");
		prompt.findElement(By.cssSelector("button[type=submit]")).click();

		awaitOutcome(jobId, "succeeded");
		await().until(ExpectedConditions.textToBe(By.id("job-outcome"), "demo deployed to staging"));
		assertThat(browser.findElement(By.id("log")).getText()).contains("Deploying to node-3");
	}

	@Test
	void cancellingARunningJobFromTheListShowsItCancelled() {
		String jobId = start("build");
		await().until(ExpectedConditions.attributeToBe(row(jobId), "data-state", "RUNNING"));

		browser.findElement(By.cssSelector("#job-rows button.cancel[data-job-id='" + jobId + "']")).click();

		awaitOutcome(jobId, "cancelled");
		assertThat(browser.findElement(row(jobId)).findElement(By.cssSelector(".outcome")).getText())
			.isEqualTo("cancelled");
	}

	@Test
	void theListAndTheJobViewNameTheNodeThatRunsTheJob() {
		String jobId = start("build");
		await().until(ExpectedConditions.attributeToBe(row(jobId), "data-state", "RUNNING"));

		assertThat(browser.findElement(row(jobId)).findElement(By.cssSelector(".node")).getText())
			.isEqualTo("execra-sample");
		await().until(ExpectedConditions.textToBe(By.id("job-node"), "execra-sample"));
		browser.findElement(By.cssSelector("#job-rows button.cancel[data-job-id='" + jobId + "']")).click();
		awaitOutcome(jobId, "cancelled");
	}

	@Test
	void finishedJobsAreInTheHistoryAfterARestart() {
		String jobId = start("clone");
		awaitOutcome(jobId, "succeeded");
		await().until(ExpectedConditions.presenceOfElementLocated(historyRow(jobId)));

		app.close();
		app = startApp();
		openPage();

		WebElement row = await().until(ExpectedConditions.presenceOfElementLocated(historyRow(jobId)));
		assertThat(row.findElement(By.cssSelector(".outcome")).getAttribute("data-outcome")).isEqualTo("succeeded");
		assertThat(row.getText()).contains("Clone the demo repository");
	}

	/** Clicks a preset's start button and returns the id of the job the page then shows. */
	private static String start(String preset) {
		String before = browser.findElement(By.id("job-view")).getDomAttribute("data-job-id");
		browser.findElement(By.id("start-" + preset)).click();
		await().until((driver) -> {
			String shown = driver.findElement(By.id("job-view")).getDomAttribute("data-job-id");
			return (shown != null && !shown.equals(before)) ? shown : null;
		});
		String jobId = browser.findElement(By.id("job-view")).getDomAttribute("data-job-id");
		await().until(ExpectedConditions.presenceOfElementLocated(row(jobId)));
		return jobId;
	}

	private static double awaitProgressAbove(WebElement bar, double floor) {
		return await().until((driver) -> {
			double value = progressOf(bar);
			return (value > floor) ? value : null;
		});
	}

	private static double progressOf(WebElement bar) {
		String value = bar.getDomAttribute("value");
		return (value != null) ? Double.parseDouble(value) : 0.0;
	}

	private static void awaitOutcome(String jobId, String outcome) {
		await().withMessage("job " + jobId + " to end " + outcome)
			.until(ExpectedConditions.attributeToBe(
					By.cssSelector("#job-rows tr[data-job-id='" + jobId + "'] .outcome"), "data-outcome", outcome));
	}

	private static By row(String jobId) {
		return By.cssSelector("#job-rows tr[data-job-id='" + jobId + "']");
	}

	private static By historyRow(String jobId) {
		return By.cssSelector("#history-rows tr[data-job-id='" + jobId + "']");
	}

	private static WebDriverWait await() {
		return new WebDriverWait(browser, JOB_TIMEOUT, Duration.ofMillis(100));
	}

	private static void screenshot() throws IOException {
		File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		Files.createDirectories(SCREENSHOT.getParent());
		Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
	}

	private static String baseUrl() {
		return "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/";
	}

	/** The app on a random port, on a file-based H2 database and a work directory that outlive it. */
	private static ConfigurableApplicationContext startApp() {
		return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:file:" + temp.resolve("db/execra-sample"),
				"--sample.work-dir=" + temp.resolve("work"));
	}

	private static void requireBrowser() {
		List<String> missing = java.util.stream.Stream.of(CHROMIUM, CHROMEDRIVER)
			.filter((path) -> !Files.isExecutable(path))
			.map(Path::toString)
			.toList();
		if (missing.isEmpty()) {
			return;
		}
		String reason = "No browser for the end-to-end test: " + missing + " not found (install Debian's chromium "
				+ "and chromium-driver)";
		if (Boolean.parseBoolean(System.getenv("EXECRA_TEST_REQUIRE_BROWSER"))) {
			fail(reason + ", and EXECRA_TEST_REQUIRE_BROWSER=true");
		}
		Assumptions.abort(reason);
	}

}
