/**
 * 添加 / 修改推荐展厅产品 (issue 20). The contact is an office line (the village's or the first
 * secretary's); a private mobile phone is published only when its owner ticks the consent, which is
 * recorded with the account and the time. Changing a published entry sends it back to the county's review.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  PRODUCT_CONTACT_KIND_LABELS,
  PRODUCT_CONTACT_KINDS,
  PRODUCT_KIND_LABELS,
  PRODUCT_KINDS,
} from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useSubmit } from '../../app/forms.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import type { EntryView } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';

const LABELS: Record<string, string> = {
  orgId: '所属村',
  kind: '类别',
  name: '名称',
  description: '介绍',
  price: '价格',
  season: '上市季节',
  quantity: '供应数量',
  contactKind: '联系电话类别',
  officePhone: '办公电话',
  privatePhone: '个人手机',
  privatePhoneConsent: '本人同意公开手机号',
  shopUrl: '网店链接',
};
const VILLAGE_KINDS = new Set(['committee', 'generalBranch', 'branch', 'jointBranch']);

interface Values {
  orgId?: string;
  kind: string;
  name: string;
  description?: string;
  price?: string;
  season?: string;
  quantity?: string;
  contactKind: string;
  officePhone: string;
  privatePhone?: string;
  privatePhoneConsent?: boolean;
  shopUrl?: string;
}

const orNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

export default function ProductFormPage() {
  const { id } = useParams();
  useDocumentTitle(id ? '修改产品' : '添加产品');
  const me = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = useFeedback();
  const [form] = Form.useForm<Values>();
  const entry = useQuery({
    queryKey: ['showroom', 'entry', id],
    queryFn: ({ signal }) => api.get<EntryView>(`/api/showroom/entries/${id}`, undefined, signal),
    enabled: !!id,
  });
  useEffect(() => {
    const e = entry.data;
    if (!e) return;
    form.setFieldsValue({
      kind: e.kind,
      name: e.name,
      description: e.description,
      price: e.price ?? undefined,
      season: e.season ?? undefined,
      quantity: e.quantity ?? undefined,
      contactKind: e.contactKind,
      officePhone: e.officePhone,
      shopUrl: e.shopUrl ?? undefined,
    });
  }, [entry.data, form]);
  const consentNeeded = Form.useWatch('privatePhone', form);
  const { err, busy, submit } = useSubmit(form, LABELS, async (v) => {
    const body = {
      kind: v.kind,
      name: v.name,
      description: v.description ?? '',
      price: orNull(v.price),
      season: orNull(v.season),
      quantity: orNull(v.quantity),
      contactKind: v.contactKind,
      officePhone: v.officePhone,
      shopUrl: orNull(v.shopUrl),
      ...(v.privatePhone?.trim()
        ? { privatePhone: v.privatePhone.trim(), privatePhoneConsent: !!v.privatePhoneConsent }
        : {}),
    };
    const saved = id
      ? await api.patch<EntryView>(`/api/showroom/entries/${id}`, body)
      : await api.post<EntryView>('/api/showroom/entries', { ...body, orgId: v.orgId });
    await qc.invalidateQueries({ queryKey: ['showroom'] });
    message.success(
      id && entry.data?.status === 'published' && saved.status === 'submitted'
        ? '已保存，修改后的产品须县级重新审核，审核通过前不在展厅显示'
        : '已保存',
    );
    navigate(`/products/${saved.id}`, { replace: true });
  });
  if (id && entry.error) return <ErrorAlert err={entry.error} />;
  const ownVillage = me.data?.orgId;

  return (
    <div>
      <div className="page-head">
        <h1>{id ? `修改产品：${entry.data?.name ?? ''}` : '添加产品'}</h1>
      </div>
      <Card>
        {id && entry.data?.status === 'published' ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="该产品已在推荐展厅发布。修改保存后须县级重新审核，审核通过前暂不在展厅显示。"
          />
        ) : null}
        <Form<Values>
          form={form}
          layout="vertical"
          data-testid="entry-form"
          initialValues={{ kind: 'farm', contactKind: 'village', orgId: ownVillage }}
          style={{ maxWidth: 640 }}
        >
          {id ? null : (
            <Form.Item name="orgId" label="所属村" rules={[{ required: true, message: '请选择所属村' }]}>
              <LazyOrgSelect selectableKinds={VILLAGE_KINDS} placeholder="选择村党组织" aria-label="所属村" />
            </Form.Item>
          )}
          <Form.Item name="kind" label="类别" rules={[{ required: true }]}>
            <Select options={PRODUCT_KINDS.map((k) => ({ value: k, label: PRODUCT_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写产品名称' }]}>
            <Input maxLength={60} placeholder="如：黄河滩区蜜瓜" data-testid="entry-name" />
          </Form.Item>
          <Form.Item name="description" label="介绍">
            <Input.TextArea
              rows={4}
              maxLength={2000}
              showCount
              placeholder="产地、品质、规格、包装、发货方式等"
              data-testid="entry-description"
            />
          </Form.Item>
          <Space wrap size="middle" style={{ display: 'flex' }}>
            <Form.Item name="price" label="价格或价格区间">
              <Input maxLength={60} placeholder="如：3—5 元/斤、面议" />
            </Form.Item>
            <Form.Item name="season" label="上市季节">
              <Input maxLength={60} placeholder="如：6—8 月、常年供应" />
            </Form.Item>
            <Form.Item name="quantity" label="供应数量">
              <Input maxLength={60} placeholder="如：约 10 万斤" />
            </Form.Item>
          </Space>
          <Form.Item name="contactKind" label="联系电话" rules={[{ required: true }]}>
            <Radio.Group
              options={PRODUCT_CONTACT_KINDS.map((k) => ({ value: k, label: PRODUCT_CONTACT_KIND_LABELS[k] }))}
            />
          </Form.Item>
          <Form.Item
            name="officePhone"
            label="办公电话"
            rules={[{ required: true, whitespace: true, message: '请填写办公电话' }]}
            extra="在展厅公开显示，请填写村委会或第一书记的办公电话"
          >
            <Input maxLength={20} placeholder="如：0371-22001234" inputMode="tel" data-testid="entry-phone" />
          </Form.Item>
          <Form.Item
            name="privatePhone"
            label="个人手机（可不填）"
            extra={
              entry.data?.privatePhoneMasked
                ? `当前公开的个人手机：${entry.data.privatePhoneMasked}（不填则保持不变）`
                : '只有手机号本人同意时才公开，平台记录同意的账号和时间'
            }
          >
            <Input maxLength={11} inputMode="tel" placeholder="11 位手机号" />
          </Form.Item>
          {consentNeeded?.trim() ? (
            <Form.Item
              name="privatePhoneConsent"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, v) =>
                    v ? Promise.resolve() : Promise.reject(new Error('须经手机号本人同意才能公开')),
                },
              ]}
            >
              <Checkbox>本人同意在推荐展厅公开此手机号</Checkbox>
            </Form.Item>
          ) : null}
          {id && entry.data?.privatePhoneMasked ? (
            <Button
              style={{ marginBottom: 16 }}
              onClick={async () => {
                await api.patch(`/api/showroom/entries/${id}`, { privatePhone: null });
                await qc.invalidateQueries({ queryKey: ['showroom'] });
                message.success('已不再公开个人手机');
              }}
            >
              不再公开个人手机
            </Button>
          ) : null}
          <Form.Item name="shopUrl" label="网店链接（可不填）" extra="以 http:// 或 https:// 开头">
            <Input maxLength={500} inputMode="url" placeholder="https://" />
          </Form.Item>
          {err ? <ErrorAlert err={err} style={{ marginBottom: 16 }} /> : null}
          <Space>
            <Button type="primary" loading={busy} onClick={submit} data-testid="entry-save">
              保存
            </Button>
            <Button onClick={() => navigate(-1)}>取消</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
