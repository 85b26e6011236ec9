// Reads a Kubernetes manifest (YAML) on stdin and validates it against the
// Kubernetes API schema of its kind (kubernetes-models checks the object
// against the OpenAPI definitions with ajv). Exit 0 valid, 1 invalid.
"use strict";
const YAML = require("yaml");
const { Job } = require("kubernetes-models/batch/v1/Job");

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (text += d));
process.stdin.on("end", () => {
  let obj;
  try {
    obj = YAML.parse(text);
  } catch (e) {
    console.log("not YAML: " + e.message);
    process.exit(1);
  }
  if (!obj || obj.apiVersion !== "batch/v1" || obj.kind !== "Job") {
    console.log("not a batch/v1 Job");
    process.exit(1);
  }
  try {
    new Job(obj).validate();
  } catch (e) {
    console.log("invalid: " + e.message);
    process.exit(1);
  }
  console.log("valid batch/v1 Job");
});
