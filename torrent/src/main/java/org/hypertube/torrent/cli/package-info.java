/**
 * The command line, one class per verb: {@code create}, {@code info}, {@code download}, {@code seed},
 * {@code tracker}, {@code selftest}; {@link org.hypertube.torrent.cli.Main} dispatches.
 * Exit status 0 on success, 1 when the work failed, 2 for bad input (one line on stderr).
 */
package org.hypertube.torrent.cli;
