package org.hypertube.torrent.cli;

import java.io.IOException;
import java.util.List;

/** One verb of the command line, run with the arguments after it; returns the exit status. */
sealed interface Verb permits Create, Info, Download, Seed, Tracker, Selftest, DhtLookup {
    int run(List<String> args) throws UsageException, IOException, InterruptedException;
}
