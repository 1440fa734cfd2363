/** Accounts: registration, login (form and OAuth2), password reset, profiles, preferred language. */
@org.springframework.modulith.ApplicationModule(displayName = "Accounts")
package org.hypertube.account;
