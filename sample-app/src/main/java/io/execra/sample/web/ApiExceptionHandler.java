package io.execra.sample.web;

import io.execra.InvalidPlaceholderException;
import io.execra.JobRejectedException;
import io.execra.StdinBufferFullException;
import io.execra.StdinClosedException;
import io.execra.UnknownJobException;
import io.execra.sample.jobs.TooManyJobsException;
import io.execra.sample.setup.SetupProgramException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Errors of the API as RFC 9457 problem details, with execra's message as the detail: 400 for a bad request (an
 * unknown preset, a missing or unknown placeholder, a value a placeholder does not accept, with the placeholder's
 * name as the {@code placeholder} property, a malformed job id), 404 for an unknown job, 409 for stdin that cannot
 * be written (closed, or its buffer full), 429 when the client has as many jobs as it may have, 503 when the runtime
 * rejects a job (queue full, shutting down, security policy) or a program the preset's set-up needs is missing (not
 * installed, not on the {@code PATH}), named by the {@code program} property, with the set-up job, recorded as
 * failed, as {@code jobId}. Spring MVC's own errors (unreadable body, bad parameter type...) are problem details
 * too; an oversized body is answered 413 by {@link RequestSizeLimitFilter}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final String RETRY_AFTER_SECONDS = "5";

	@ExceptionHandler
	ProblemDetail badRequest(IllegalArgumentException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Bad request", ex);
	}

	@ExceptionHandler
	ProblemDetail invalidPlaceholder(InvalidPlaceholderException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid placeholder value", ex);
		problem.setProperty("preset", ex.preset());
		problem.setProperty("placeholder", ex.placeholder());
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyJobs(TooManyJobsException ex) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem(HttpStatus.TOO_MANY_REQUESTS, "Too many jobs", ex));
	}

	@ExceptionHandler
	ProblemDetail unknownJob(UnknownJobException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown job", ex);
		problem.setProperty("jobId", ex.jobId().toString());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail stdinClosed(StdinClosedException ex) {
		return problem(HttpStatus.CONFLICT, "Stdin closed", ex);
	}

	@ExceptionHandler
	ProblemDetail stdinBufferFull(StdinBufferFullException ex) {
		return problem(HttpStatus.CONFLICT, "Stdin buffer full", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rejected(JobRejectedException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Job rejected", ex));
	}

	@ExceptionHandler
	ProblemDetail setupProgram(SetupProgramException ex) {
		// no Retry-After: the program does not appear by itself
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Program could not start", ex);
		problem.setProperty("program", ex.program());
		problem.setProperty("jobId", ex.jobId().toString());
		return problem;
	}

	private static ProblemDetail problem(HttpStatus status, String title, Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		return problem;
	}

}
