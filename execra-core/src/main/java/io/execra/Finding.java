package io.execra;

import java.io.Serializable;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Something an interpreter found in a tool's output: a lint warning, a vulnerable package, a note.
 *
 * @param severity how much it matters
 * @param code a stable, machine-readable code such as {@code outdated_dependency}
 * @param message the human-readable text
 * @param action optional action the user can take
 * @param related optional entity the finding is about
 * @param at when it was found
 */
public record Finding(Severity severity, String code, String message, @Nullable Action action,
		@Nullable RelatedEntity related, Instant at) implements Serializable {

	public Finding {
		Checks.notNull(severity, "severity");
		Checks.notEmpty(code, "code");
		Checks.notNull(message, "message");
		Checks.notNull(at, "at");
	}

	/**
	 * An informational finding found now.
	 * @param code the code
	 * @param message the message
	 * @return the finding
	 */
	public static Finding info(String code, String message) {
		return new Finding(Severity.INFO, code, message, null, null, Instant.now());
	}

	/**
	 * A finding of the given severity found now.
	 * @param severity the severity
	 * @param code the code
	 * @param message the message
	 * @return the finding
	 */
	public static Finding of(Severity severity, String code, String message) {
		return new Finding(severity, code, message, null, null, Instant.now());
	}

	/**
	 * The same finding with an action.
	 * @param action the action
	 * @return a new finding
	 */
	public Finding withAction(Action action) {
		return new Finding(this.severity, this.code, this.message, action, this.related, this.at);
	}

	/**
	 * The same finding about an entity.
	 * @param related the entity
	 * @return a new finding
	 */
	public Finding withRelated(RelatedEntity related) {
		return new Finding(this.severity, this.code, this.message, this.action, related, this.at);
	}

	/**
	 * What a finding is about.
	 *
	 * @param kind {@code package}, {@code file}, {@code url} or {@code other}
	 * @param value the package name, path or address
	 */
	public record RelatedEntity(String kind, String value) implements Serializable {

		public RelatedEntity {
			Checks.notEmpty(kind, "kind");
			Checks.notNull(value, "value");
		}

	}

}
