package jocker.storage;

/** One line of `diff`: A (added), C (changed) or D (deleted), and the path in the container. */
public record Change(Kind kind, String path) {
    public enum Kind { A, C, D }

    @Override
    public String toString() {
        return kind + " " + path;
    }
}
