package jocker.namespaces;

/**
 * A container's user namespace: either a new one with these id maps
 * (create), or the one at path (exec joins its container's).
 *
 * <p>Root in a user namespace has every capability, but only over what that
 * namespace owns: the other namespaces created with it, and files whose
 * owner maps into it. To the host it is an ordinary user (the first host id
 * of the uid map).
 */
public record UserNamespace(IdMap uids, IdMap gids, String path) {

    public static UserNamespace create(IdMap uids, IdMap gids) {
        return new UserNamespace(uids, gids, null);
    }

    public static UserNamespace join(String path) {
        return new UserNamespace(null, null, path);
    }

    public boolean creates() {
        return path == null;
    }
}
