package jocker.cgroups;

/**
 * What a container used, read from its cgroup's own accounting: the kernel
 * counted every process of the container, however short-lived.
 *
 * @param memoryPeakBytes the most memory charged at once, or null if the kernel does not say
 * @param cpuNanos        CPU time used, user and system, all CPUs
 * @param pidsPeak        the most tasks at once, or null if the kernel does not say
 */
public record CgroupStats(Long memoryPeakBytes, long cpuNanos, Long pidsPeak) {
}
