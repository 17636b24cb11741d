package io.execra.autoconfigure;

import io.execra.Event;
import io.execra.ExecraRuntime;
import org.springframework.context.PayloadApplicationEvent;

/**
 * An execra {@link Event} published as a Spring application event. Listeners usually take the event record itself
 * ({@code @EventListener void on(Event.Finalized finalized)}); listen to this type instead to learn which runtime
 * the job ran on.
 *
 * @param <E> the type of the execra event
 */
public class ExecraApplicationEvent<E extends Event> extends PayloadApplicationEvent<E> {

	private static final long serialVersionUID = 1L;

	private final String runtimeName;

	/**
	 * Creates the application event.
	 * @param runtime the runtime the job ran on
	 * @param runtimeName the runtime's name
	 * @param event the execra event
	 */
	public ExecraApplicationEvent(ExecraRuntime runtime, String runtimeName, E event) {
		super(runtime, event);
		this.runtimeName = runtimeName;
	}

	/**
	 * The name of the runtime the job ran on: {@link ExecraProperties#DEFAULT_RUNTIME_NAME}, a name under
	 * {@code execra.runtimes}, or the bean name of a runtime the application defined.
	 * @return the name
	 */
	public String getRuntimeName() {
		return this.runtimeName;
	}

	/**
	 * The runtime the job ran on.
	 * @return the runtime
	 */
	public ExecraRuntime getRuntime() {
		return (ExecraRuntime) getSource();
	}

}
