package jocker.storage;

import com.sun.jna.LastErrorException;
import jocker.namespaces.Namespace;
import jocker.sys.JockerException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static jocker.mounts.MountFlags.MS_REC;
import static jocker.mounts.MountFlags.MS_SLAVE;

/**
 * Runs work that needs a mount the host must never see: a throwaway thread
 * unshares a mount namespace of its own (mount namespaces are per thread,
 * as step 1 showed), mounts there, works there, and ends. The namespace,
 * and every mount in it, disappears with the thread: nothing to unmount,
 * nothing left behind if the process dies half-way.
 */
public final class PrivateMounts {
    private PrivateMounts() {}

    public static <T> T run(String what, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                // CLONE_NEWNS also gives the thread its own cwd (CLONE_FS): chdir here is private too
                LibC.unshare(Namespace.MOUNT.cloneFlag());
                // receive the host's mounts, send it none of ours
                LibC.mount(null, "/", null, MS_REC | MS_SLAVE, null);
                result.complete(work.call());
            } catch (LastErrorException e) {
                result.completeExceptionally(SysException.of(e, "private mount namespace for " + what));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "private-mounts");
        thread.start();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new JockerException(what + ": " + cause.getMessage(), cause);
        }
    }
}
