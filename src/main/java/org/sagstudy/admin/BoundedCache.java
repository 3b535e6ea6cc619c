package org.sagstudy.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small least-recently-used cache for drawn or decoded data. Values are computed outside the lock (two threads may
 * both compute a missing value; the last one stays); a null value is not kept.
 */
public final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    public BoundedCache(int capacity) {
        entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public V get(K key, Supplier<V> compute) {
        synchronized (entries) {
            V hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        V value = compute.get();
        if (value != null) {
            synchronized (entries) {
                entries.put(key, value);
            }
        }
        return value;
    }
}
