package jocker.cli;

import jocker.runtime.Feature;

import java.util.List;

/**
 * What a step adds to every container its runtime verbs create: step 1
 * nothing, step 2 a cgroup, ... Each step's root command implements it and
 * lists its parts; the verbs (create, run, delete ...) stay the same code.
 */
public interface StepParts {
    List<Feature> runtimeFeatures();
}
