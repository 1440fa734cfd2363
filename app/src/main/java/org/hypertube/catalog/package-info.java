/** The film library: sources (YTS, Internet Archive, TMDB, OMDb, Torznab), search, discovery, film pages. */
@org.springframework.modulith.ApplicationModule(displayName = "Catalog")
package org.hypertube.catalog;
