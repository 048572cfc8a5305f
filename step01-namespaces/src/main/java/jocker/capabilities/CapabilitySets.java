package jocker.capabilities;

/**
 * The five capability sets of capabilities(7) as bit masks (bit n is
 * capability number n, see {@link Capability}).
 */
public record CapabilitySets(long bounding, long effective, long inheritable, long permitted, long ambient) {
}
