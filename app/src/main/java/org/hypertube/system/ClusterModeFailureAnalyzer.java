package org.hypertube.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A refused cluster setting as a plain start-up message, not a stack trace. */
public class ClusterModeFailureAnalyzer extends AbstractFailureAnalyzer<ClusterMode.Refused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ClusterMode.Refused cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set the missing setting, or leave HYPERTUBE_CLUSTER unset to run one instance (README, \"Several instances\").",
                cause);
    }
}
