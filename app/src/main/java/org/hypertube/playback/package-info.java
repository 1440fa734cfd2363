/**
 * Playback: pressing Play picks a torrent of the film, starts or joins its download in our engine,
 * probes the video, and serves it to the browser directly (HTTP ranges) or converted (HLS); keeps
 * watch progress, seeds within the operator's limits and deletes films nobody watched for a while.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Playback")
package org.hypertube.playback;
