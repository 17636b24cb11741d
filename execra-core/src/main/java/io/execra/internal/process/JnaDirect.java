package io.execra.internal.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import org.jspecify.annotations.Nullable;

/**
 * The C functions execra calls, bound by JNA's direct mapping: each {@code native} method below is bound to its
 * symbol once, and a call then costs about what a JNI call costs, where {@code Function.invokeInt} boxes every
 * argument into an array and converts each one on every call (a fifth of a job's start path on JDK 17, measured).
 * Functions that a C library may lack are in classes of their own, as registering a class fails on its first
 * missing symbol.
 */
final class JnaDirect {

	/** The classes holding the functions; a function is in the first that declares it. */
	private static final List<Class<?>> HOLDERS = List.of(Required.class, PidfdOpen.class, Syscall.class);

	/** Whether each class tried was registered; guarded by the class's monitor. */
	private static final Map<Class<?>, Boolean> REGISTERED = new HashMap<>();

	private JnaDirect() {
	}

	/**
	 * The direct-mapped function of this name and parameter types, registered on first use.
	 * @param library the C library
	 * @param name the symbol
	 * @param type its type, integers and addresses as {@code long}
	 * @return the handle, or {@code null} if it is not mapped here or the C library lacks it
	 */
	static @Nullable MethodHandle find(NativeLibrary library, String name, MethodType type) {
		for (Class<?> holder : HOLDERS) {
			if (declares(holder, name)) {
				if (!register(holder, library)) {
					return null;
				}
				try {
					return MethodHandles.lookup().findStatic(holder, name, type);
				}
				catch (ReflectiveOperationException ex) {
					return null;
				}
			}
		}
		return null;
	}

	private static boolean declares(Class<?> holder, String name) {
		for (Method method : holder.getDeclaredMethods()) {
			if (Modifier.isNative(method.getModifiers()) && method.getName().equals(name)) {
				return true;
			}
		}
		return false;
	}

	/** Registers the class once: a class that failed (a symbol missing) is not tried again. */
	private static synchronized boolean register(Class<?> holder, NativeLibrary library) {
		return REGISTERED.computeIfAbsent(holder, (unregistered) -> {
			try {
				Native.register(unregistered, library);
				return true;
			}
			catch (RuntimeException | LinkageError ex) {
				return false;
			}
		});
	}

	/** What {@link Libc} and {@link Epoll} need on every supported C library (glibc 2.34 and later). */
	static final class Required {

		private Required() {
		}

		static native int posix_spawn(long pid, long path, long fileActions, long attributes, long argv, long envp);

		static native int posix_spawnattr_init(long attributes);

		static native int posix_spawnattr_setflags(long attributes, short flags);

		static native int posix_spawnattr_setsigmask(long attributes, long mask);

		static native int posix_spawnattr_setsigdefault(long attributes, long defaults);

		static native int sigemptyset(long set);

		static native int posix_spawn_file_actions_init(long fileActions);

		static native int posix_spawn_file_actions_destroy(long fileActions);

		static native int posix_spawn_file_actions_addopen(long fileActions, int fd, long path, int flags, int mode);

		static native int posix_spawn_file_actions_adddup2(long fileActions, int fd, int newFd);

		static native int posix_spawn_file_actions_addchdir_np(long fileActions, long path);

		static native int posix_spawn_file_actions_addclosefrom_np(long fileActions, int from);

		static native int pipe2(long fds, int flags);

		static native int close(int fd);

		static native int waitpid(int pid, long status, int options);

		static native int __xpg_strerror_r(int error, long buffer, long length);

		static native int epoll_create1(int flags);

		static native int epoll_ctl(int epfd, int op, int fd, long event);

		static native int epoll_wait(int epfd, long events, int maxEvents, int timeout);

		static native int read(int fd, long buffer, long count);

		static native int fcntl(int fd, int command, int argument);

	}

	/** glibc 2.36 and later. */
	static final class PidfdOpen {

		private PidfdOpen() {
		}

		static native int pidfd_open(int pid, int flags);

	}

	/** Variadic in C; integer arguments are passed as fixed ones are on the 64-bit Linux ABIs. */
	static final class Syscall {

		private Syscall() {
		}

		static native int syscall(long number, int first, int second);

	}

}
