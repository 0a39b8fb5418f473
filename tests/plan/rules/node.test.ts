import {
  checkAutoscalingDefaultPool,
  checkLogin,
  checkNodePool,
  checkPoolSize,
  type NodePoolFacts,
  nodeRules,
  passwordClassOf,
  passwordProblems,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const pool = (f: Partial<NodePoolFacts> = {}): NodePoolFacts => ({
  resource: "prod-workers",
  path: "clusters[0].nodePools[0]",
  name: "workers",
  cluster: "prod",
  ...f,
});

describe("node/login", () => {
  it("a managed pool with a password is mandatory, naming the pool", () => {
    const [d, ...rest] = checkLogin(pool({ managed: true, passwordLogin: true, keyPairLogin: false }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "node/login",
      severity: "mandatory",
      resource: "prod-workers",
      path: "clusters[0].nodePools[0].passwordLogin",
    });
    expect(d?.message).toContain('managed node pool "workers" (cluster "prod") logs in with a password');
    expect(d?.message).toContain("key pairs");
  });

  it("a bad password names its length and classes but never the password", () => {
    const password = "abc_def";
    const [d] = checkLogin(pool({ password }));
    expect(d).toMatchObject({
      rule: "node/login",
      severity: "mandatory",
      path: "clusters[0].nodePools[0].password",
    });
    expect(d?.message).toContain("is 7 characters (8 to 30)");
    expect(d?.message).toContain("has 1 character class [lowercase]");
    expect(d?.message).toContain('contains "_"');
    expect(d?.message).not.toContain(password);
  });

  it("a pool that must log in but has neither key pair nor password", () => {
    const [d] = checkLogin(pool({ loginRequired: true, keyPairLogin: false, passwordLogin: false }));
    expect(d?.path).toBe("clusters[0].nodePools[0].keyPairLogin");
    expect(d?.message).toContain("has no login");
  });

  it("compliant: key pair, or a good password on an unmanaged pool, or no login on EKS", () => {
    expect(
      checkLogin(pool({ managed: true, keyPairLogin: true, passwordLogin: false, loginRequired: true })),
    ).toEqual([]);
    expect(checkLogin(pool({ managed: false, password: "Abcdef12!", loginRequired: true }))).toEqual([]);
    expect(checkLogin(pool({ loginRequired: false, keyPairLogin: false, passwordLogin: false }))).toEqual([]);
  });

  it("unknown values yield nothing and never hide a known violation", () => {
    expect(checkLogin(pool())).toEqual([]);
    expect(checkLogin(pool({ managed: true }))).toEqual([]);
    expect(checkLogin(pool({ loginRequired: true, keyPairLogin: false }))).toEqual([]);
    // a known password on a pool of unknown kind is still checked
    expect(checkLogin(pool({ password: "short" }))).toHaveLength(1);
    // a known password implies password login on a managed pool
    expect(checkLogin(pool({ managed: true, password: "Abcdef12!" }))[0]?.message).toContain("managed");
  });

  it("classes: special symbols are ASCII punctuation except '_'", () => {
    expect(["A", "z", "5", "!", "~", "/", "_", " ", "é"].map(passwordClassOf)).toEqual([
      "uppercase",
      "lowercase",
      "digit",
      "special",
      "special",
      "special",
      "underscore",
      undefined,
      undefined,
    ]);
  });

  it("property: a password passes iff 8-30 characters of ≥ 3 classes and no '_'", () => {
    const classes = {
      upper: fc.constantFrom(..."ABCXYZ"),
      lower: fc.constantFrom(..."abcxyz"),
      digit: fc.constantFrom(..."0189"),
      special: fc.constantFrom(..."!@#$%^&*-+=.?/"),
      underscore: fc.constant("_"),
    };
    // pick a subset of classes first, so 1-, 2-, 3- and 4-class passwords are all common
    const password = fc
      .subarray([classes.upper, classes.lower, classes.digit, classes.special, classes.underscore], {
        minLength: 1,
      })
      .chain((subset) =>
        fc
          .integer({ min: 0, max: 40 })
          .chain((n) => fc.array(fc.oneof(...subset), { minLength: n, maxLength: n })),
      );
    fc.assert(
      fc.property(password, (chars) => {
        const pw = chars.join("");
        const n =
          Number(/[A-Z]/.test(pw)) +
          Number(/[a-z]/.test(pw)) +
          Number(/[0-9]/.test(pw)) +
          Number(/[^A-Za-z0-9_]/.test(pw));
        const ok = chars.length >= 8 && chars.length <= 30 && n >= 3 && !pw.includes("_");
        expect(passwordProblems(pw).length === 0).toBe(ok);
      }),
    );
  });
});

describe("node/autoscaling-default-pool", () => {
  it("autoscaling on the default pool is advisory, naming the pool", () => {
    const [d] = checkAutoscalingDefaultPool(
      pool({ name: "default", default: true, autoscaling: true, production: true }),
    );
    expect(d).toMatchObject({
      rule: "node/autoscaling-default-pool",
      severity: "advisory",
      path: "clusters[0].nodePools[0].autoscaling",
    });
    expect(d?.message).toContain('default node pool "default" (cluster "prod") has autoscaling true');
  });

  it("compliant and unknown values yield nothing", () => {
    expect(checkAutoscalingDefaultPool(pool({ default: true, autoscaling: false }))).toEqual([]);
    expect(checkAutoscalingDefaultPool(pool({ default: false, autoscaling: true }))).toEqual([]);
    expect(checkAutoscalingDefaultPool(pool({ default: true }))).toEqual([]);
    expect(checkAutoscalingDefaultPool(pool({ autoscaling: true }))).toEqual([]);
  });
});

describe("node/pool-size", () => {
  const sized = (minSize?: number, desiredSize?: number, maxSize?: number) =>
    checkPoolSize(pool({ minSize, desiredSize, maxSize, fieldPaths: { minSize: "scalingConfig.minSize" } }));

  it("reports the first size out of order, at its path, with the values", () => {
    expect(sized(3, undefined, 2).map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["node/pool-size", "mandatory", "scalingConfig.minSize"],
    ]);
    expect(sized(3, undefined, 2)[0]?.message).toContain("minSize 3 > maxSize 2");
    expect(sized(1, 5, 4).map((d) => [d.path, d.message.includes("desiredSize 5 > maxSize 4")])).toEqual([
      ["clusters[0].nodePools[0].desiredSize", true],
    ]);
    expect(sized(2, 1, 4)[0]?.message).toContain("desiredSize 1 < minSize 2");
    expect(sized(-1, undefined, 4)[0]?.message).toContain("minSize -1 is negative");
  });

  it("holds exactly when 0 ≤ minSize ≤ desiredSize ≤ maxSize (unknown sizes are not judged)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3, max: 20 }),
        fc.option(fc.integer({ min: -3, max: 20 }), { nil: undefined }),
        fc.integer({ min: -3, max: 20 }),
        (min, desired, max) => {
          const ok = min >= 0 && min <= max && (desired === undefined || (min <= desired && desired <= max));
          expect(sized(min, desired, max).length === 0).toBe(ok);
        },
      ),
    );
    expect(sized(undefined, 7, undefined)).toEqual([]);
  });
});

describe("nodeRules", () => {
  it("has one entry per implemented node id and checkNodePool runs them all", () => {
    expect(Object.keys(nodeRules).sort()).toEqual([
      "node/autoscaling-default-pool",
      "node/login",
      "node/pool-size",
    ]);
    const ds = checkNodePool(pool({ default: true, autoscaling: true, password: "x" }));
    expect(ds.map((d) => d.rule).sort()).toEqual(["node/autoscaling-default-pool", "node/login"]);
    expect(checkNodePool({ resource: "x", path: "" })).toEqual([]);
  });
});
