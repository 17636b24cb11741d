package io.execra.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The default {@code execra.node-id} of a cluster node: the host name and the server port, such as
 * {@code app-1.example.com:8080}. A node's id must be stable across restarts, so that a restarted instance takes
 * back its own row, finds the jobs its earlier run left and kills their processes; a random id would leave them to
 * other nodes, which can mark them failed but cannot reach their processes.
 * <p>
 * With {@code server.port=0} the port is chosen only when the web server starts, after the runtime joined the
 * cluster, and an application without a web server has no port: the id is then the host name and the process id
 * ({@code app-1.example.com:pid-4711}), unique on the host but new at each start.
 */
final class ExecraClusterNodeId {

	/** The web server's default port, when {@code server.port} is not set. */
	static final int DEFAULT_SERVER_PORT = 8080;

	private static final String WEB_SERVER_CONTEXT = "org.springframework.boot.web.server.context."
			+ "WebServerApplicationContext";

	private ExecraClusterNodeId() {
	}

	/**
	 * The default node id of an application.
	 * @param context the application's context: whether it runs a web server
	 * @param binder its configuration: {@code server.port}
	 * @return the id
	 */
	static String of(ApplicationContext context, Binder binder) {
		Integer port = webServerPort(context, binder);
		return of(hostName(), port, ProcessHandle.current().pid());
	}

	/**
	 * The node id of a host, port and process.
	 * @param host the host name
	 * @param port the server's port, or {@code null} or 0 when unknown
	 * @param pid the process id
	 * @return {@code host:port}, or {@code host:pid-<pid>} without a known port
	 */
	static String of(String host, @Nullable Integer port, long pid) {
		return (port != null && port > 0) ? host + ":" + port : host + ":pid-" + pid;
	}

	private static @Nullable Integer webServerPort(ApplicationContext context, Binder binder) {
		ClassLoader classLoader = context.getClassLoader();
		if (!ClassUtils.isPresent(WEB_SERVER_CONTEXT, classLoader)
				|| !ClassUtils.resolveClassName(WEB_SERVER_CONTEXT, classLoader).isInstance(context)) {
			return null;
		}
		return binder.bind("server.port", Integer.class).orElse(DEFAULT_SERVER_PORT);
	}

	/** The local host's name; a host whose name does not resolve uses $HOSTNAME, then "localhost". */
	static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String variable = System.getenv("HOSTNAME");
			return (variable != null && !variable.isBlank()) ? variable : "localhost";
		}
	}

}
