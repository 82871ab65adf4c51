/**
 * What the examples' settings share: {@link ai.distill4j.examples.settings.SettingChecks}, the validation rules of
 * their builders, each failing with a message that names the field, the value and the rule.
 */
package ai.distill4j.examples.settings;
