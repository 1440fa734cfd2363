/**
 * Seek-bar preview thumbnails (Jellyfin's "trickplay"): a frame every 10 s of a film, 160 px wide, laid out
 * ten by ten on JPEG sprite sheets, with a WebVTT index whose cues name a sheet and a rectangle in it
 * ({@code thumbnails/0.jpg#xywh=160,0,160,90}, W3C Media Fragments). Made once per film file by ffmpeg
 * at the lowest priority and kept with the film ({@code media/.thumbs/<info-hash>/}).
 */
package org.hypertube.playback.thumbnails;
