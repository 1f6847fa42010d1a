package io.tickflow.indicator;

import java.util.Collection;
import java.util.Map;

/** Where {@link PartitionOwnership} reads the committed per-stock state from: the changelog ({@link StateStore}). */
interface StateSource {
    /** The latest committed state of every stock whose ticks come from these ticks partition numbers, by stock. */
    Map<String, StateStore.Saved> load(Collection<Integer> ticksPartitions);
}
