package io.execra.autoconfigure.jpa;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up refused because cluster mode was enabled on a database it cannot run on: which database it
 * is, what cluster mode needs, and the two ways out.
 */
class ClusterDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<ClusterDatabaseUnsupportedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ClusterDatabaseUnsupportedException cause) {
		return new FailureAnalysis(cause.getMessage(), "Run the application on " + ClusterDialect.SUPPORTED
				+ ", or set 'execra.cluster.enabled=false' to run each instance on its own.", cause);
	}

}
