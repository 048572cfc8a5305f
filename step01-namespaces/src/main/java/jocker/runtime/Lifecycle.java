package jocker.runtime;

import jocker.init.ExecFifo;
import jocker.init.InitConfig;
import jocker.init.InitPipes;
import jocker.mounts.SharedMounts;
import jocker.namespaces.Namespace;
import jocker.namespaces.UserNamespace;
import jocker.process.Signals;
import jocker.spec.Spec;
import jocker.spec.SpecFile;
import jocker.spec.SpecException;
import jocker.sys.Fd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A container's life, as the OCI runtime spec (runtime.md) defines it:
 * create, start, state, kill, delete; and run, which is all of them in one
 * go. Every operation may be a separate command (runc's CLI, the engines
 * calling it): what one leaves for the next is in the {@link StateStore}.
 *
 * <pre>
 *   host JVM                                   init JVM (PID 1 in the new namespaces)
 *   claim the id, write state "creating"
 *   features: prepare
 *   thread: unshare, spawn the init   ------->  boots, waits on fd 3
 *   record pid + start time; features: started(pid)
 *   write InitConfig to fd 3          ------->  mounts, pivot_root, hostname,
 *                                               rlimits, user, capabilities
 *   create:  read CREATED             <-------  CREATED, then sleeps on exec.fifo
 *            state "created"; exit
 *   start:   open exec.fifo           ------->  wakes, execve (it is "running")
 *   run:     read end-of-file         <-------  execve at once (fd 4 closes with it)
 *            ... or code + message    <-------  ... or why it could not start
 *   delete:  features: cleanup; remove the state
 * </pre>
 */
public final class Lifecycle {
    private final StateStore store;
    private final Supplier<List<Feature>> featureSource;
    private List<Feature> features;
    private Consumer<String> warnings = w -> { };

    /** @param features what later steps add to a container, in order */
    public Lifecycle(StateStore store, List<Feature> features) {
        this(store, () -> features);
    }

    /**
     * The features made at their first use: finding them may cost (step 2's
     * looks at the host's cgroup filesystem through JNA), and the verbs that
     * only read state, {@code state}, {@code list}, {@code start}, never use them.
     */
    public Lifecycle(StateStore store, Supplier<List<Feature>> features) {
        this.store = store;
        this.featureSource = features;
    }

    public StateStore store() {
        return store;
    }

    /** What later steps add to every container of this runtime. */
    public synchronized List<Feature> features() {
        if (features == null) {
            features = List.copyOf(featureSource.get());
        }
        return features;
    }

    /** Where warnings go (a spec field that means nothing on this host ...); by default nowhere. */
    public Lifecycle warnings(Consumer<String> sink) {
        this.warnings = sink;
        return this;
    }

    /**
     * A container (or exec'd process) just made by this JVM. Its process is
     * this JVM's child, so here (and only here) its exit code can be read:
     * {@code exit} completes with it (128+N for signal N), unless it was made
     * detached, for an engine's shim to reap.
     */
    public record Created(State state, CompletableFuture<Integer> exit) {
    }

    // tag::create[]
    /**
     * Creates the container and leaves it waiting for {@link #start}: set up
     * completely, the user's program found but not run. The init outlives this
     * JVM (it is reparented to the nearest subreaper when this JVM exits).
     * Anything that goes wrong throws, and leaves nothing behind.
     */
    public Created create(Container container, Stdio stdio) {
        return create(container, stdio, false);
    }

    /** The same; detached, this JVM never waits for the init (see InitLauncher#reap): for the runtime CLI. */
    public Created create(Container container, Stdio stdio, boolean detached) {
        Made made = make(container, stdio, true, detached, pid -> { });
        if (made.failure != null) {
            throw new ContainerException(made.failure.error());
        }
        return made.created;
    }
    // end::create[]

    // tag::run[]
    /**
     * Runs the container in the foreground: create and start in one go (the
     * init execs as soon as it is set up, and dies with this JVM), waits for
     * it, and deletes it. Signals this JVM gets go to the container. A command
     * that could not be started is a result (125-127), not an exception.
     */
    public ContainerResult run(Container container, Stdio stdio) {
        collectAbandonedRuns();
        SignalForwarder[] forwarder = new SignalForwarder[1];
        try {
            // signals are the container's from the moment its init exists, before it execs
            Made made = make(container, stdio, false, false, pid -> forwarder[0] = new SignalForwarder(pid, stdio.hasConsole()));
            if (made.failure != null) {
                return made.failure;
            }
            poststart(container.id(), container.spec(), made.created.state());
            try {
                return ContainerResult.exited(made.created.exit().join());
            } finally {
                delete(container.id(), true);
            }
        } finally {
            if (forwarder[0] != null) {
                forwarder[0].close();
            }
        }
    }
    // end::run[]

    private record Made(Created created, ContainerResult failure) {
    }

    private Made make(Container container, Stdio stdio, boolean waitForStart, boolean detached,
                      IntConsumer onInit) {
        refuseWhatNoPartApplies(container.spec());
        SpecConverter.Converted converted = SpecConverter.convert(container.spec(), container.bundleDir());
        converted.warnings().forEach(warnings);
        String id = container.id();
        Path dir = store.claim(id);
        if (!waitForStart) {
            store.markRunBy(id, InitProcess.of((int) ProcessHandle.current().pid()));
        }
        Spec.Root root = container.spec().root();
        State state = new State(Spec.OCI_VERSION, id, Status.CREATING, 0, 0,
                container.bundleDir().toAbsolutePath().toString(),
                container.bundleDir().resolve(root.path()).toAbsolutePath().normalize().toString(),
                Instant.now().toString(), container.spec().annotations());
        List<Feature> prepared = new ArrayList<>();
        InitLauncher launcher = null;
        int stateDirFd = -1;
        try {
            store.saveSpec(id, container.spec());
            store.save(state);
            InitConfig init = stdio.hasConsole() ? converted.init().withConsole() : converted.init();
            if (waitForStart) {
                UserNamespace user = converted.user();
                // opened by the init once it is the container's user: owned by that user as the host sees it
                ExecFifo.create(dir, user == null ? init.process().uid() : (int) user.uids().toHost(init.process().uid()),
                        user == null ? init.process().gid() : (int) user.gids().toHost(init.process().gid()));
                init = init.waitingIn(dir.toString());
                stateDirFd = StateStore.openDir(dir);
            }
            // A created container's cgroup namespace is made before the init's exec, so that it is the
            // whole process's (a JVM thread's unshare is its own until the exec): see Clone.
            boolean cgroupNamespace = waitForStart && (init.unshareFlags() & Namespace.CGROUP.cloneFlag()) != 0;
            if (cgroupNamespace) {
                init = init.withUnshareFlags(init.unshareFlags() & ~Namespace.CGROUP.cloneFlag());
            }
            for (Feature feature : features()) {
                feature.prepare(container);
                prepared.add(feature);
            }
            launcher = InitPool.take(converted.hostUnshareFlags(), converted.joins(), stdio, converted.user(),
                    cgroupNamespace, stateDirFd);
            int pid = await(launcher);
            onInit.accept(pid);
            InitProcess process = InitProcess.of(pid); // it waits for its config: it cannot have exited
            OomScore.set(pid, container.spec().process().oomScoreAdj());
            state = state.withInit(process);
            store.save(state); // from here on, delete --force can find and kill it
            ContainerResult failure = handOver(launcher, container, init, pid, waitForStart);
            if (failure != null) {
                undo(container, launcher, prepared, process);
                return new Made(null, failure);
            }
            state = state.withStatus(waitForStart ? Status.CREATED : Status.RUNNING);
            store.save(state);
            launcher.reap(!detached);
            return new Made(new Created(state, launcher.exited), null);
        } catch (RuntimeException e) {
            try {
                undo(container, launcher, prepared, state.init());
            } catch (RuntimeException cleanupFailed) {
                e.addSuppressed(cleanupFailed);
            }
            throw e;
        } finally {
            if (stateDirFd >= 0) {
                Fd.close(stateDirFd); // the init has its copy
            }
        }
    }

    // tag::refuse[]
    /**
     * A spec section that nothing here applies is an error, not a silent
     * no-op: a container asked to be limited, and run unlimited, is worse than
     * one that did not start. Step 1 applies these; each feature adds its own.
     */
    private static final Set<String> STEP1_SECTIONS = Set.of("seccomp", "devices", "sysctl",
            "rootfsPropagation", "uidMappings", "gidMappings");

    private void refuseWhatNoPartApplies(Spec spec) {
        if (spec.linux() == null) {
            return;
        }
        for (String section : spec.linux().extensions().keySet()) {
            if (STEP1_SECTIONS.contains(section) || features().stream().anyMatch(f -> f.linuxSections().contains(section))) {
                continue;
            }
            String why = section.equals("resources") || section.equals("cgroupsPath")
                    ? ": it needs cgroups, which step 1 does not make (use bin/step02 or later)"
                    : ": jocker does not apply it";
            throw new SpecException("linux." + section + why);
        }
    }
    // end::refuse[]

    /** A failed create: kill the init, undo the features, forget the id. */
    private void undo(Container container, InitLauncher launcher, List<Feature> prepared, InitProcess process) {
        if (process != null) {
            process.signal(Signals.SIGKILL);
        }
        if (launcher != null) {
            launcher.reap(true);
            launcher.exited.exceptionally(e -> -1).join();
        }
        cleanup(container, prepared);
        store.remove(container.id());
    }

    // tag::handover[]
    /** Gives the init its config; returns null once it has exec'd (run) or is created (create), else the failure it reported. */
    private ContainerResult handOver(InitLauncher launcher, Container container, InitConfig init, int pid,
                                     boolean waitForStart) {
        for (Feature feature : features()) {
            feature.started(container, pid);
        }
        launcher.release(); // placed in its cgroups: an init started by a clone may exec now
        Spec.Hooks hooks = container.spec().hooks();
        if (hooks != null && init.enterPid() == 0) {
            // the namespaces exist, nothing of the container has run: docker's network hook goes here
            State creating = store.load(container.id());
            Hooks.run("prestart", hooks.prestart(), creating, store.dir(container.id()));
            Hooks.run("createRuntime", hooks.createRuntime(), creating, store.dir(container.id()));
        }
        try (OutputStream config = Fd.out(launcher.configFd()); InputStream status = Fd.in(launcher.statusFd())) {
            try {
                init.write(new DataOutputStream(config));
            } catch (IOException e) {
                launcher.reap(true);
                int code = launcher.exited.join();
                throw new ContainerException("the container's init exited (code " + code + ") before it got its config");
            }
            DataInputStream in = new DataInputStream(status);
            int code;
            try {
                code = in.readInt();
            } catch (EOFException closedByExec) {
                if (waitForStart) {
                    launcher.reap(true);
                    throw new ContainerException("the container's init exited while it was set up (code "
                            + launcher.exited.join() + ")");
                }
                return null;
            }
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            return code == InitPipes.CREATED && waitForStart ? null
                    : new ContainerResult(code, new String(message, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ContainerException("cannot read the container's start status: " + e.getMessage(), e);
        }
    }
    // end::handover[]

    // tag::start[]
    /** Lets a created container's init exec the user's program. */
    public void start(String id) {
        State state = state(id);
        if (!state.status().canStart()) {
            throw new ContainerException("cannot start container " + id + ": it is " + state.status().ociName());
        }
        ExecFifo.start(store.dir(id), state.init()::isAlive);
        store.save(state.withStatus(Status.RUNNING));
        if (SpecFile.hasHooks(store.dir(id).resolve(SpecFile.NAME))) {
            poststart(id, store.loadSpec(id), state.withStatus(Status.RUNNING));
        }
    }

    /** poststart hooks: a failure is a warning, and the container runs on (the OCI rule). */
    private void poststart(String id, Spec spec, State state) {
        if (spec.hooks() != null) {
            try {
                Hooks.run("poststart", spec.hooks().poststart(), state, store.dir(id));
            } catch (RuntimeException e) {
                warnings.accept(e.getMessage());
            }
        }
    }
    // end::start[]

    // tag::state[]
    /**
     * The container's state, checked against the kernel: a status that says
     * its init lives is believed only while a process with that pid and that
     * start time exists; otherwise the container has stopped.
     */
    public State state(String id) {
        State recorded = store.load(id);
        InitProcess init = recorded.init();
        Status status = recorded.status();
        if (init != null && status != Status.STOPPED && !init.isAlive()) {
            return recorded.withStatus(Status.STOPPED);
        }
        if (status == Status.CREATED && !ExecFifo.exists(store.dir(id))) {
            return recorded.withStatus(Status.RUNNING); // a start that ended before it could record itself
        }
        return recorded;
    }
    // end::state[]

    /** Every container in the state directory, checked as {@link #state} does. */
    public List<State> list() {
        List<State> all = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                all.add(state(id));
            } catch (ContainerException removedMeanwhile) {
                // deleted between the listing and the read
            }
        }
        return all;
    }

    // tag::exec[]
    /**
     * Runs one more process in a running container, as {@code runc exec}:
     * in its namespaces and cgroup, with the process's own user, capabilities,
     * environment and working directory. Detached, the process outlives this
     * JVM; otherwise {@code exit} completes with its exit code.
     */
    public Created exec(String id, Spec.Process process, Stdio stdio, boolean detached) {
        State state = state(id);
        if (state.status() != Status.RUNNING) {
            throw new ContainerException("cannot exec in container " + id + ": it is " + state.status().ociName());
        }
        Container container = container(id, state);
        InitConfig config = InitConfig.entering(state.pid(), SpecConverter.process(process), detached);
        byte[] seccomp = SpecConverter.convert(container.spec(), container.bundleDir()).init().seccomp();
        if (seccomp != null) {
            config = config.withSeccomp(seccomp); // the container's filter, as runc gives exec'd processes
        }
        if (stdio.hasConsole()) {
            config = config.withConsole();
        }
        InitLauncher launcher = InitLauncher.start(0, PidNamespace.joinsOf(state.pid()), stdio,
                PidNamespace.userOf(state.pid()), false, -1);
        int pid = await(launcher);
        InitProcess started = InitProcess.of(pid); // it waits for its config: it cannot have exited
        ContainerResult failure;
        OomScore.set(pid, process.oomScoreAdj());
        try {
            failure = handOver(launcher, container, config, pid, false);
        } catch (RuntimeException e) {
            started.signal(Signals.SIGKILL);
            launcher.reap(true);
            throw e;
        }
        if (failure != null) {
            launcher.reap(true);
            launcher.exited.exceptionally(e -> -1).join();
            throw new ContainerException(failure.error());
        }
        launcher.reap(!detached);
        return new Created(state.withInit(started), launcher.exited);
    }
    // end::exec[]

    /**
     * A foreground run deletes its container's state when it ends; one whose
     * JVM was killed cannot. Its container died with it (the parent-death
     * signal), so a later run removes the state it left, once both the
     * container and that JVM are gone. (What a step made for it, a cgroup, a
     * writable layer, is that step's to tidy: step 2's cleanup, step 3's
     * recovery; this run's features belong to this run's container.)
     */
    private void collectAbandonedRuns() {
        for (String id : store.ids()) {
            InitProcess runner = store.runBy(id);
            try {
                // a run killed while it set the container up never got to its init: still "creating"
                Status status = runner == null || runner.isAlive() ? null : state(id).status();
                if (status == Status.STOPPED || status == Status.CREATING) {
                    store.remove(id);
                }
            } catch (RuntimeException goneMeanwhile) {
                // another run collected it first
            }
        }
    }

    // tag::kill[]
    /**
     * Sends a signal to the container's init or, with all, to every process
     * of the container. A stopped container cannot be signalled.
     */
    public void kill(String id, int signal, boolean all) {
        State state = state(id);
        if (all) {
            for (long pid : processes(id)) {
                Signals.kill(pid, signal);
            }
            return;
        }
        if (!state.status().canKill() || !state.init().signal(signal)) {
            throw new ContainerException("container " + id + " is not running");
        }
    }
    // end::kill[]

    /**
     * The container's processes, host pids: those a feature knows (step 2's
     * cgroup), else every process in the container's own pid namespace.
     */
    public List<Long> processes(String id) {
        State state = state(id);
        Container container = container(id, state);
        for (Feature feature : features()) {
            List<Long> pids = feature.processes(container);
            if (pids != null) {
                return pids;
            }
        }
        if (state.status() == Status.STOPPED) {
            return List.of();
        }
        if (!SpecConverter.convert(container.spec(), container.bundleDir()).creates(Namespace.PID)) {
            throw new ContainerException("container " + id + " shares the host's pid namespace: "
                    + "its processes are known only from its cgroup (step 2)");
        }
        return PidNamespace.members(state.pid());
    }

    /** Freezes every process of a running container (needs a feature that can: step 2's cgroup). */
    public void pause(String id) {
        setFrozen(id, true);
    }

    /** Thaws a paused container. */
    public void resume(String id) {
        setFrozen(id, false);
    }

    private void setFrozen(String id, boolean frozen) {
        State state = state(id);
        if (frozen ? !state.status().canPause() : !state.status().canResume()) {
            throw new ContainerException("cannot " + (frozen ? "pause" : "resume") + " container " + id + ": it is "
                    + state.status().ociName());
        }
        freeze(id, state, frozen);
        store.save(state.withStatus(frozen ? Status.PAUSED : Status.RUNNING));
    }

    /** New resource limits for a created, running or paused container (runc update): needs step 2's cgroup. */
    public void update(String id, Object resources) {
        State state = state(id);
        if (!state.status().canKill()) {
            throw new ContainerException("cannot update container " + id + ": it is " + state.status().ociName());
        }
        Container container = container(id, state);
        for (Feature feature : features()) {
            if (feature.update(container, resources)) {
                return;
            }
        }
        throw new ContainerException("update needs cgroups, which this runtime has not: step 1 makes none (step 2 does)");
    }

    private void freeze(String id, State state, boolean frozen) {
        Container container = container(id, state);
        for (Feature feature : features()) {
            if (feature.freeze(container, frozen)) {
                return;
            }
        }
        throw new ContainerException((frozen ? "pause" : "resume") + " needs a cgroup freezer,"
                + " which this runtime has not: step 1 makes no cgroups (step 2 does)");
    }

    // tag::delete[]
    /**
     * Deletes a container: undoes what every feature did and forgets it. One
     * that is not stopped (created, running, paused) is refused unless force,
     * which kills it first.
     */
    public void delete(String id, boolean force) {
        State state = state(id);
        Status status = state.status();
        if (!status.canDelete() && !force) {
            throw new ContainerException("cannot delete container " + id + ": it is " + status.ociName()
                    + " (stop it first, or use --force)");
        }
        InitProcess init = state.init();
        if (init != null && status != Status.STOPPED) {
            init.signal(Signals.SIGKILL);
            if (!init.awaitExit(10_000)) {
                throw new ContainerException("container " + id + "'s init (pid " + init.pid() + ") survived SIGKILL for 10 s");
            }
        }
        Container container = container(id, state);
        cleanup(container, features());
        if (container.spec().hooks() != null) {
            try {
                Hooks.run("poststop", container.spec().hooks().poststop(), state.withStatus(Status.STOPPED),
                        store.dir(id));
            } catch (RuntimeException e) {
                warnings.accept(e.getMessage()); // the container is gone all the same
            }
        }
        store.remove(id);
    }
    // end::delete[]

    private Container container(String id, State state) {
        return new Container(id, store.loadSpec(id), Path.of(state.bundle()));
    }

    private static void cleanup(Container container, List<Feature> done) {
        List<Feature> reversed = new ArrayList<>(done);
        Collections.reverse(reversed);
        RuntimeException first = null;
        try {
            unmountShared(container);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Feature feature : reversed) {
            try {
                feature.cleanup(container);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A container without a mount namespace of its own leaves its mounts in the host's: remove them. */
    private static void unmountShared(Container container) {
        Spec spec = container.spec();
        boolean own = spec.linux() != null
                && spec.linux().namespaces().stream().anyMatch(n -> Namespace.MOUNT.ociName().equals(n.type()));
        if (own || spec.root() == null || spec.root().path() == null) {
            return;
        }
        Path rootfs = container.bundleDir().resolve(spec.root().path()).toAbsolutePath().normalize();
        SharedMounts.unmount(rootfs, spec.mounts().stream().map(Spec.Mount::destination).toList());
    }

    private static int await(InitLauncher launcher) {
        try {
            return launcher.started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw new ContainerException(cause.getMessage(), cause);
        }
    }

    /** Whether a state directory exists for this id (a cheap check, before claiming it). */
    public boolean exists(String id) {
        return Files.isDirectory(store.dir(id));
    }
}
