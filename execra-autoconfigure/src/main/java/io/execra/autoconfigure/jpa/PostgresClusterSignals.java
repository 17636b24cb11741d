package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

import io.execra.JobId;
import io.execra.cluster.ClusterSignals;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link ClusterSignals} over PostgreSQL's {@code LISTEN/NOTIFY}: one channel, whose payloads the
 * {@link JdbcClusterStore} sends in the transaction of the write they announce ({@code q} a job was queued,
 * {@code c:<id>} cancel requested, {@code e:<id>} events written), so they arrive only once it committed.
 * <p>
 * A daemon thread holds a connection of its own (taken from the data source for as long as someone listens) and
 * waits on it for notifications. When the connection breaks (or stops answering a check every few seconds), it
 * takes a new one, listens again and tells {@link Listener#reconnected()}: signals sent meanwhile are lost, so the
 * node polls once. LISTEN needs a session of its own: behind PgBouncer in transaction pooling it hears nothing, and
 * nodes fall back to polling.
 */
final class PostgresClusterSignals implements ClusterSignals {

	static final String QUEUED = "q";

	static final String CANCEL = "c:";

	static final String EVENTS = "e:";

	private static final Log logger = LogFactory.getLog(PostgresClusterSignals.class);

	private static final int WAIT_MILLIS = 500;

	private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

	private static final Duration RECONNECT_AFTER = Duration.ofMillis(500);

	private final DataSource dataSource;

	private final String channel;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private @Nullable Thread thread;

	private volatile boolean listening;

	private volatile int backendPid;

	PostgresClusterSignals(DataSource dataSource, String channel) {
		this.dataSource = dataSource;
		this.channel = channel;
	}

	/** @return the channel, a lower-case identifier */
	String channel() {
		return this.channel;
	}

	@Override
	public synchronized AutoCloseable listen(Listener listener) {
		this.listeners.add(listener);
		if (this.thread == null) {
			Thread started = new Thread(this::run, "execra-cluster-listen");
			started.setDaemon(true);
			this.thread = started;
			started.start();
		}
		return () -> stopListening(listener);
	}

	private synchronized void stopListening(Listener listener) {
		this.listeners.remove(listener);
		if (this.listeners.isEmpty() && this.thread != null) {
			this.thread.interrupt();
			this.thread = null;
			this.listening = false;
		}
	}

	/** @return whether the listening connection has run {@code LISTEN}: signals sent from now on arrive */
	boolean isListening() {
		return this.listening;
	}

	/** @return the server process of the listening connection, 0 before it listens (tests cut it) */
	int backendPid() {
		return this.backendPid;
	}

	private void run() {
		boolean first = true;
		while (!Thread.currentThread().isInterrupted()) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + this.channel);
					try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
						this.backendPid = pid.next() ? pid.getInt(1) : 0;
					}
				}
				this.listening = true;
				if (!first) {
					tell(Listener::reconnected);
				}
				first = false;
				receive(connection);
			}
			catch (SQLException ex) {
				this.listening = false;
				logger.warn("Cluster signals: lost the LISTEN connection, taking a new one (nodes poll meanwhile): "
						+ ex.getMessage());
				try {
					Thread.sleep(RECONNECT_AFTER.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}
		this.listening = false;
	}

	private void receive(Connection connection) throws SQLException {
		PGConnection postgres = connection.unwrap(PGConnection.class);
		long checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
		while (!Thread.currentThread().isInterrupted()) {
			PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
			if (notifications != null) {
				for (PGNotification notification : notifications) {
					dispatch(notification.getParameter());
				}
			}
			if (System.nanoTime() - checkAt > 0) {
				// a connection cut without a reset (a partition) only shows when something is sent on it
				try (Statement statement = connection.createStatement()) {
					statement.execute("SELECT 1");
				}
				checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
			}
		}
	}

	private void dispatch(String payload) {
		if (payload.equals(QUEUED)) {
			tell(Listener::jobQueued);
		}
		else if (payload.startsWith(CANCEL)) {
			JobId id = jobId(payload.substring(CANCEL.length()));
			if (id != null) {
				tell((listener) -> listener.cancelRequested(id));
			}
		}
		else if (payload.startsWith(EVENTS)) {
			JobId id = jobId(payload.substring(EVENTS.length()));
			if (id != null) {
				tell((listener) -> listener.eventsWritten(id));
			}
		}
	}

	private static @Nullable JobId jobId(String text) {
		try {
			return new JobId(UUID.fromString(text));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private void tell(Consumer<Listener> signal) {
		for (Listener listener : this.listeners) {
			try {
				signal.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Cluster signals: a listener failed", ex);
			}
		}
	}

}
