package io.execra.sample.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.execra.sample.SampleProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than {@code sample.max-request-size} with 413 before any of it is read, so that an
 * oversized parameter costs the server neither memory nor a job; and a body whose length is not declared up front
 * (chunked) with 411, since its size is only known once it has been read. Spring MVC does not bound a JSON body,
 * and Tomcat's {@code max-http-form-post-size} covers forms only.
 */
@Component
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	private final long maxRequestBytes;

	/**
	 * Creates the filter.
	 * @param properties the sample's settings
	 */
	public RequestSizeLimitFilter(SampleProperties properties) {
		this.maxRequestBytes = properties.maxRequestSize().toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long length = request.getContentLengthLong();
		if (length > this.maxRequestBytes) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, "Request too large", "The request body has " + length
					+ " bytes; the most this server reads is " + this.maxRequestBytes + " (sample.max-request-size)");
			return;
		}
		if (length < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			refuse(response, HttpStatus.LENGTH_REQUIRED, "Length required",
					"The request body must declare its length (Content-Length), at most " + this.maxRequestBytes
							+ " bytes");
			return;
		}
		chain.doFilter(request, response);
	}

	/** Written here rather than by {@link ApiExceptionHandler}: a filter runs before Spring MVC. */
	private static void refuse(HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setHeader(HttpHeaders.CONNECTION, "close");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status.value()
					+ ",\"detail\":\"" + detail + "\"}");
	}

}
