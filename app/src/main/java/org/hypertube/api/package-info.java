/**
 * The REST API under /api for other programs: OAuth2 tokens from our own authorization server
 * (Spring Authorization Server), resources as JSON, errors as RFC 9457 problem details, documented
 * with OpenAPI at /api/docs.
 */
@org.springframework.modulith.ApplicationModule(displayName = "REST API")
package org.hypertube.api;
