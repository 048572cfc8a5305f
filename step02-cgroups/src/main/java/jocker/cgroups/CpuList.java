package jocker.cgroups;

import jocker.spec.SpecException;

import java.util.BitSet;

/**
 * CPU and memory-node lists as cpuset writes them: "0-2,4,7-8" (see
 * cpuset(7), "List format").
 */
public final class CpuList {
    private CpuList() {}

    public static BitSet parse(String flag, String list) {
        BitSet set = new BitSet();
        String trimmed = list.trim();
        if (trimmed.isEmpty()) {
            return set;
        }
        for (String part : trimmed.split(",")) {
            String[] range = part.trim().split("-", -1);
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2 || from < 0 || to < from || to > 4095) {
                    throw new NumberFormatException();
                }
                set.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new SpecException(flag + ": invalid list \"" + list + "\" (want numbers and ranges: 0-2,4)");
            }
        }
        return set;
    }

    /** Back to list format, ranges collapsed: {0,1,2,4} is "0-2,4". */
    public static String format(BitSet set) {
        StringBuilder out = new StringBuilder();
        int i = set.nextSetBit(0);
        while (i >= 0) {
            int end = set.nextClearBit(i) - 1;
            out.append(out.length() == 0 ? "" : ",").append(i);
            if (end > i) {
                out.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return out.toString();
    }
}
