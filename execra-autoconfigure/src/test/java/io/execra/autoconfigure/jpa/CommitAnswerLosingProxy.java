package io.execra.autoconfigure.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy in front of PostgreSQL that can lose the answer to a commit: the failure a client cannot tell from a
 * rollback. Armed with a piece of SQL, it watches what clients send; on the first connection that sends that SQL, it
 * forwards the next {@code COMMIT}, waits for the database's answer (so the transaction is committed), drops that
 * answer and closes the connection on both sides. The client sees an I/O error at its commit. It reads the
 * protocol's bytes as they pass, so the JDBC URL it gives turns TLS off and sends each statement's text every time
 * ({@code prepareThreshold=0}).
 */
final class CommitAnswerLosingProxy implements AutoCloseable {

	private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

	private static final String COMMIT = "COMMIT";

	private final ServerSocket server;

	private final String host;

	private final int port;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object lock = new Object();

	private @Nullable String armedWith;

	private @Nullable Link cutting;

	private CountDownLatch answerLost = new CountDownLatch(1);

	private CommitAnswerLosingProxy(String host, int port) throws IOException {
		this.host = host;
		this.port = port;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "commit-losing-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a proxy in front of the database of a JDBC URL.
	 * @param jdbcUrl a {@code jdbc:postgresql://host[:port]/database} URL
	 * @return the proxy
	 * @throws IOException if it cannot listen
	 */
	static CommitAnswerLosingProxy of(String jdbcUrl) throws IOException {
		Matcher matcher = matcher(jdbcUrl);
		return new CommitAnswerLosingProxy(matcher.group(1),
				(matcher.group(2) != null) ? Integer.parseInt(matcher.group(2)) : 5432);
	}

	/**
	 * @param jdbcUrl the URL the proxy stands in front of
	 * @return the URL of the same database through the proxy
	 */
	String url(String jdbcUrl) {
		Matcher matcher = matcher(jdbcUrl);
		String query = (matcher.group(4) != null) ? matcher.group(4) + "&" : "?";
		return "jdbc:postgresql://127.0.0.1:" + this.server.getLocalPort() + "/" + matcher.group(3) + query
				+ "sslmode=disable&prepareThreshold=0";
	}

	/**
	 * Loses the answer to the next commit of the transaction that sends this SQL.
	 * @param sql a piece of SQL that only the transaction to hit sends, as sent: parameters are {@code $1, $2...}
	 */
	void loseAnswerToCommitAfter(String sql) {
		synchronized (this.lock) {
			this.armedWith = sql;
			this.cutting = null;
			this.answerLost = new CountDownLatch(1);
		}
	}

	/**
	 * @param seconds how long to wait
	 * @return whether the answer to such a commit was lost
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitAnswerLost(long seconds) throws InterruptedException {
		CountDownLatch latch;
		synchronized (this.lock) {
			latch = this.answerLost;
		}
		return latch.await(seconds, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	private static Matcher matcher(String jdbcUrl) {
		Matcher matcher = URL.matcher(jdbcUrl);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
		}
		return matcher;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket database = new Socket(this.host, this.port);
				this.sockets.add(client);
				this.sockets.add(database);
				Link link = new Link(client, database);
				start(() -> link.pumpFromClient(), "proxy-client");
				start(() -> link.pumpFromDatabase(), "proxy-database");
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static void start(Runnable pump, String name) {
		Thread thread = new Thread(pump, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing
		}
	}

	/** One client connection and its connection to the database. */
	private final class Link {

		private final Socket client;

		private final Socket database;

		/** What this client sent lately, as Latin-1, to find SQL split across reads. */
		private String recent = "";

		private boolean sentArmedSql;

		private volatile boolean commitSent;

		Link(Socket client, Socket database) {
			this.client = client;
			this.database = database;
		}

		void pumpFromClient() {
			byte[] buffer = new byte[65536];
			try (InputStream in = this.client.getInputStream(); OutputStream out = this.database.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					watch(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// either side closed
			}
			finally {
				closeQuietly(this.database);
			}
		}

		private void watch(String sent) {
			String seen = this.recent + sent;
			synchronized (CommitAnswerLosingProxy.this.lock) {
				String armed = CommitAnswerLosingProxy.this.armedWith;
				if (armed != null && CommitAnswerLosingProxy.this.cutting == null && seen.contains(armed)) {
					CommitAnswerLosingProxy.this.cutting = this;
					this.sentArmedSql = true;
					seen = seen.substring(seen.indexOf(armed) + armed.length());
				}
				if (this.sentArmedSql && CommitAnswerLosingProxy.this.cutting == this && seen.contains(COMMIT)) {
					// from here on the database's answer is dropped: it is the commit's
					this.commitSent = true;
					this.sentArmedSql = false;
				}
			}
			this.recent = seen.substring(Math.max(0, seen.length() - 4096));
		}

		void pumpFromDatabase() {
			byte[] buffer = new byte[65536];
			try (InputStream in = this.database.getInputStream(); OutputStream out = this.client.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (this.commitSent) {
						// the commit is done on the database; its answer never reaches the client
						closeQuietly(this.client);
						closeQuietly(this.database);
						synchronized (CommitAnswerLosingProxy.this.lock) {
							CommitAnswerLosingProxy.this.armedWith = null;
							CommitAnswerLosingProxy.this.answerLost.countDown();
						}
						return;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// either side closed
			}
			finally {
				closeQuietly(this.client);
			}
		}

	}

}
