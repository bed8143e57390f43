/** The mock harness lives with the scripts (npm run policy and npm run plan use it too); tests import it from here. */
export * from "../../scripts/lib/stack/mockStack";
