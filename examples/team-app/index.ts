// An application team's program: deploys a service with an Ingress into its tenant namespace on
// a platform stack it reads through PlatformReference. See README.md; the logic is in app.ts.
import * as pulumi from "@pulumi/pulumi";
import { teamApp } from "./app";

const config = new pulumi.Config();

export = teamApp({
  platformStack: config.require("platformStack"),
  project: config.require("project"),
  namespace: config.require("namespace"),
  cluster: config.get("cluster"),
  name: config.get("name"),
  image: config.get("image"),
  ingressClass: config.get("ingressClass"),
  host: config.get("host"),
}).then((app) => ({
  cluster: app.cluster,
  namespace: app.namespace,
  ingressClass: app.ingressClass,
  host: app.host,
  url: app.url,
}));
