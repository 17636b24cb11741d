package io.execra.support;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Live heap: the heap in use right after a full collection, as the collector itself recorded it (so garbage that
 * running threads allocate after the collection does not count).
 */
public final class HeapUsage {

	private HeapUsage() {
	}

	/**
	 * Runs a full collection and returns the heap it left in use.
	 * @return bytes
	 */
	public static long liveAfterGc() {
		System.gc();
		long used = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				MemoryUsage afterGc = pool.getCollectionUsage();
				used += (afterGc != null) ? afterGc.getUsed() : pool.getUsage().getUsed();
			}
		}
		return used;
	}

}
