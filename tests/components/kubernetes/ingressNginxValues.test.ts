import { albConfigSpec, albIngressClassSpec } from "@kubeplat/components/internal/kubernetes/albConfig";
import {
  AWS_LB_CONTROLLER_POLICY,
  awsLbControllerValues,
  irsaTrustPolicy,
  oidcIssuerHostPath,
} from "@kubeplat/components/internal/kubernetes/awsLbControllerIamPolicy";
import {
  ingressNginxValues,
  loadBalancerServiceAnnotations,
  type NginxValuesInput,
  nginxControllerValue,
} from "@kubeplat/components/internal/kubernetes/ingressNginxValues";
import { checkIngress, type IngressControllerFact } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

const ACK_CLB: NginxValuesInput = {
  release: "ingress-nginx-public",
  className: "public",
  defaultClass: false,
  replicas: 3,
  production: true,
  loadBalancer: {
    cloud: "alicloud",
    kind: "clb",
    addressType: "internet",
    spec: "slb.s2.small",
    deletionProtection: true,
    name: "prod-public",
    tags: { env: "prod", team: "platform" },
  },
};

describe("ingress-nginx Helm values", () => {
  it("ACK, internet CLB, production", () => {
    expect(ingressNginxValues(ACK_CLB)).toMatchSnapshot();
  });

  it("ACK, intranet NLB over two zones", () => {
    expect(
      ingressNginxValues({
        ...ACK_CLB,
        release: "ingress-nginx-internal",
        className: "internal",
        production: false,
        replicas: 2,
        loadBalancer: {
          cloud: "alicloud",
          kind: "nlb",
          addressType: "intranet",
          deletionProtection: true,
          zoneMappings: [
            { zone: "cn-hangzhou-j", vSwitchId: "vsw-j" },
            { zone: "cn-hangzhou-k", vSwitchId: "vsw-k" },
          ],
        },
        imageRegistry: "registry-cn-hangzhou.ack.aliyuncs.com",
      }),
    ).toMatchSnapshot();
  });

  it("AWS NLB through the AWS Load Balancer Controller", () => {
    expect(
      ingressNginxValues({
        ...ACK_CLB,
        release: "ingress-nginx",
        className: "nginx",
        defaultClass: true,
        loadBalancer: { cloud: "aws", kind: "nlb", addressType: "internet", deletionProtection: true },
      }),
    ).toMatchSnapshot();
  });

  it("passes ingress/replicas: spread over zones, never on control-plane nodes", () => {
    const values = ingressNginxValues(ACK_CLB);
    const controller = values.controller as IngressControllerFact;
    expect(
      checkIngress({
        controllers: [{ ...controller, resource: "x", path: "p", production: true, replicas: 3 }],
      }),
    ).toEqual([]);
    expect(controller.topologySpreadConstraints?.[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
    });
  });

  it("gives each class its own controller value and election id", () => {
    expect(nginxControllerValue("nginx")).toBe("k8s.io/ingress-nginx");
    expect(nginxControllerValue("internal")).toBe("k8s.io/ingress-nginx-internal");
    const c = ingressNginxValues(ACK_CLB).controller as Record<string, unknown>;
    expect(c.electionID).toBe("public-leader");
    expect(c.ingressClassResource).toMatchObject({
      name: "public",
      controllerValue: "k8s.io/ingress-nginx-public",
    });
  });
});

describe("load balancer Service annotations", () => {
  it("ACK CLB: address type, spec, deletion and modification protection (ACK docs: Configure a Classic Load Balancer by using annotations)", () => {
    const a = loadBalancerServiceAnnotations(ACK_CLB.loadBalancer);
    expect(a).toEqual({
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "internet",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s2.small",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-delete-protection": "on",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-modification-protection": "ConsoleProtection",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-name": "prod-public",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-additional-resource-tags":
        "env=prod,team=platform",
    });
  });

  it("ACK intranet CLB in a given vSwitch, protection off", () => {
    expect(
      loadBalancerServiceAnnotations({
        cloud: "alicloud",
        kind: "clb",
        addressType: "intranet",
        vSwitchId: "vsw-1",
        deletionProtection: false,
      }),
    ).toEqual({
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-vswitch-id": "vsw-1",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-delete-protection": "off",
    });
  });

  it("AWS: external NLB, ip targets, scheme and deletion protection (Alauda Container Platform docs: AWS EKS supplementary information)", () => {
    expect(
      loadBalancerServiceAnnotations({
        cloud: "aws",
        kind: "nlb",
        addressType: "intranet",
        deletionProtection: true,
      }),
    ).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-attributes": "deletion_protection.enabled=true",
    });
  });
});

describe("AlbConfig", () => {
  it("spec: zone mappings, deletion protection, listeners, access log", () => {
    expect(
      albConfigSpec({
        name: "alb",
        addressType: "Internet",
        vSwitchIds: ["vsw-j", "vsw-k"],
        deletionProtection: true,
        https: true,
        accessLog: { project: "k8s-log", logStore: "alb_prod" },
      }),
    ).toMatchSnapshot();
    expect(albIngressClassSpec("alb")).toEqual({
      controller: "ingress.k8s.alibabacloud/alb",
      parameters: { apiGroup: "alibabacloud.com", kind: "AlbConfig", name: "alb" },
    });
  });
});

describe("AWS Load Balancer Controller", () => {
  it("trusts only the controller's service account of the cluster's OIDC issuer", () => {
    const url = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123";
    expect(oidcIssuerHostPath(url)).toBe("oidc.eks.us-east-1.amazonaws.com/id/ABC123");
    expect(
      irsaTrustPolicy("arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123", url),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123" },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: {
            StringEquals: {
              "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub":
                "system:serviceaccount:kube-system:aws-load-balancer-controller",
              "oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });

  it("policy: mutations of balancers, target groups and security groups are scoped to the cluster's tag", () => {
    const unscopedWrites = AWS_LB_CONTROLLER_POLICY.Statement.filter(
      (s) =>
        s.Resource === "*" &&
        !s.Condition &&
        s.Action.some((a) => /:(Delete|Modify)(LoadBalancer|TargetGroup|SecurityGroup)\b/.test(a)),
    );
    expect(unscopedWrites).toEqual([]);
    // A valid IAM policy document: the 2012-10-17 language, each statement an Allow of service
    // actions ("service:Action") on resources.
    expect(AWS_LB_CONTROLLER_POLICY.Version).toBe("2012-10-17");
    for (const st of AWS_LB_CONTROLLER_POLICY.Statement) {
      expect(st.Effect).toBe("Allow");
      expect(st.Action.length).toBeGreaterThan(0);
      for (const a of st.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z*]+$/);
      expect(st.Resource).toBeDefined();
    }
  });

  it("values: IRSA service account, class, zone spread", () => {
    expect(
      awsLbControllerValues({
        clusterName: "prod",
        region: "us-east-1",
        vpcId: "vpc-1",
        roleArn: "arn:aws:iam::1:role/lbc",
        replicas: 2,
        className: "alb",
        defaultClass: true,
      }),
    ).toMatchSnapshot();
  });
});
