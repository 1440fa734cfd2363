/** Cross-cutting concerns: security configuration, i18n, errors, shared settings. */
@org.springframework.modulith.ApplicationModule(displayName = "System")
package org.hypertube.system;
