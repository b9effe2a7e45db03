/**
 * One showroom entry inside the platform (issue 20): what the public will see, its pictures (added from
 * the phone, shrunk before they go up), and what this user may do now — the village edits, adds
 * pictures, submits and withdraws (下架); the county publishes or returns it with a reason.
 */
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Input, Modal, Progress, Space } from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PRODUCT_CONTACT_KIND_LABELS, PRODUCT_KIND_LABELS } from '../../../../contract/labels.ts';
import { api, upload } from '../../app/api.ts';
import { ErrorAlert, errorMessage } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { dateTimeText, orDash } from '../../app/format.ts';
import { useDocumentTitle } from '../../app/hooks.ts';
import { PhotoRefused, preparePhoto } from '../../app/photo-shrink.ts';
import type { EntryView, PictureView } from '../../app/types.ts';
import { StatusTag } from './ProductsPage.tsx';

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export default function ProductPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message, modal } = useFeedback();
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const entry = useQuery({
    queryKey: ['showroom', 'entry', id],
    queryFn: ({ signal }) => api.get<EntryView>(`/api/showroom/entries/${id}`, undefined, signal),
  });
  useDocumentTitle(entry.data?.name ?? '推荐展厅产品');
  if (entry.error) return <ErrorAlert err={entry.error} />;
  const e = entry.data;
  if (!e) return null;

  const refresh = () => qc.invalidateQueries({ queryKey: ['showroom'] });
  const act = async (verb: string, done: string, body?: unknown) => {
    setBusy(verb);
    try {
      await api.post(`/api/showroom/entries/${id}/${verb}`, body);
      await refresh();
      message.success(done);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const pick = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      try {
        const photo = await preparePhoto(file, MAX_PHOTO_BYTES);
        setProgress(0);
        const sent = new File([photo.blob], photo.name, { type: photo.type });
        await upload<PictureView>(`/api/showroom/entries/${id}/pictures`, {}, sent, setProgress).promise;
      } catch (err) {
        message.error(err instanceof PhotoRefused ? err.message : errorMessage(err));
        break;
      } finally {
        setProgress(null);
      }
    }
    if (fileRef.current) fileRef.current.value = '';
    await refresh();
  };
  const remove = (pictureId: string) =>
    modal.confirm({
      title: '删除这张图片？',
      content: e.status === 'published' ? '产品已发布，删除图片后须县级重新审核。' : undefined,
      okText: '删除',
      cancelText: '取消',
      onOk: async () => {
        await api.del(`/api/showroom/entry-pictures/${pictureId}`);
        await refresh();
      },
    });

  return (
    <div>
      <div className="page-head">
        <h1>
          {e.name} <StatusTag status={e.status} />
        </h1>
        <div className="page-actions">
          <Space wrap>
            {e.status === 'published' ? (
              <Button href={`/showroom/${e.id}`} target="_blank">
                在展厅查看
              </Button>
            ) : null}
            {e.can.edit ? (
              <Link to={`/products/${e.id}/edit`}>
                <Button data-testid="entry-edit">修改</Button>
              </Link>
            ) : null}
            {e.can.submit ? (
              <Button
                type="primary"
                loading={busy === 'submit'}
                onClick={() => act('submit', '已提交县级审核')}
                data-testid="entry-submit"
              >
                提交审核
              </Button>
            ) : null}
            {e.can.publish ? (
              <Button
                type="primary"
                loading={busy === 'publish'}
                onClick={() => act('publish', '已审核通过，产品已在推荐展厅发布')}
                data-testid="entry-publish"
              >
                审核通过并发布
              </Button>
            ) : null}
            {e.can.return ? (
              <Button danger onClick={() => setReturning(true)} data-testid="entry-return">
                {e.status === 'published' ? '撤下' : '退回'}
              </Button>
            ) : null}
            {e.can.withdraw ? (
              <Button
                loading={busy === 'withdraw'}
                onClick={() =>
                  modal.confirm({
                    title: '下架这个产品？',
                    content: '下架后不再在推荐展厅显示，可重新提交审核后再发布。',
                    okText: '下架',
                    cancelText: '取消',
                    onOk: () => act('withdraw', '已下架'),
                  })
                }
                data-testid="entry-withdraw"
              >
                下架
              </Button>
            ) : null}
          </Space>
        </div>
      </div>
      {e.status === 'returned' && e.returnReason ? (
        <Card size="small" style={{ marginBottom: 12, borderColor: '#ffccc7' }}>
          县级退回：{e.returnReason}
        </Card>
      ) : null}
      <Card title="图片" size="small" style={{ marginBottom: 12 }}>
        <div className="showroom-thumbs" data-testid="entry-pictures">
          {e.pictures.map((p) => (
            <div key={p.id} className="showroom-thumb">
              <a href={`/api/showroom/entry-pictures/${p.id}`} target="_blank" rel="noreferrer">
                <img src={`/api/showroom/entry-pictures/${p.id}/thumbnail`} alt={e.name} loading="lazy" />
              </a>
              {e.can.edit ? (
                <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(p.id)}>
                  删除
                </Button>
              ) : null}
            </div>
          ))}
          {e.pictures.length === 0 ? <span className="muted">还没有图片。展厅里有图片的产品更容易被找到。</span> : null}
        </div>
        {e.can.edit ? (
          <div style={{ marginTop: 12 }}>
            <input
              ref={fileRef}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              multiple
              hidden
              onChange={(ev) => void pick(ev.target.files)}
              data-testid="entry-picture-input"
            />
            <Button icon={<UploadOutlined />} onClick={() => fileRef.current?.click()} disabled={progress !== null}>
              添加图片
            </Button>
            {progress !== null ? <Progress percent={progress} size="small" style={{ maxWidth: 240 }} /> : null}
          </div>
        ) : null}
      </Card>
      <Card size="small">
        <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small">
          <Descriptions.Item label="类别">{PRODUCT_KIND_LABELS[e.kind]}</Descriptions.Item>
          <Descriptions.Item label="所属村">
            {e.townshipName ? `${e.townshipName} · ` : ''}
            {e.villageName}
          </Descriptions.Item>
          <Descriptions.Item label="价格">{orDash(e.price)}</Descriptions.Item>
          <Descriptions.Item label="上市季节">{orDash(e.season)}</Descriptions.Item>
          <Descriptions.Item label="供应数量">{orDash(e.quantity)}</Descriptions.Item>
          <Descriptions.Item label={PRODUCT_CONTACT_KIND_LABELS[e.contactKind]}>{e.officePhone}</Descriptions.Item>
          <Descriptions.Item label="个人手机">
            {e.privatePhoneMasked
              ? `${e.privatePhoneMasked}（${e.privatePhoneConsentByName || '本人'} ${dateTimeText(e.privatePhoneConsentAt)} 确认本人同意公开）`
              : '不公开'}
          </Descriptions.Item>
          <Descriptions.Item label="网店链接">{orDash(e.shopUrl)}</Descriptions.Item>
          <Descriptions.Item label="介绍" span={2}>
            <div style={{ whiteSpace: 'pre-wrap' }}>{orDash(e.description)}</div>
          </Descriptions.Item>
          <Descriptions.Item label="提交审核">{orDash(dateTimeText(e.submittedAt))}</Descriptions.Item>
          <Descriptions.Item label="发布">{orDash(dateTimeText(e.publishedAt))}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Modal
        open={returning}
        title={e.status === 'published' ? '撤下已发布的产品' : '退回产品'}
        okText={e.status === 'published' ? '撤下' : '退回'}
        cancelText="取消"
        okButtonProps={{ disabled: !reason.trim(), danger: true, loading: busy === 'return' }}
        onCancel={() => setReturning(false)}
        onOk={async () => {
          await act('return', e.status === 'published' ? '已撤下' : '已退回', { reason: reason.trim() });
          setReturning(false);
          setReason('');
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(ev) => setReason(ev.target.value)}
          placeholder="请写明原因，村里修改后可重新提交"
          data-testid="entry-return-reason"
        />
      </Modal>
      <Button type="link" onClick={() => navigate('/products')} style={{ paddingLeft: 0, marginTop: 8 }}>
        返回推荐展厅
      </Button>
    </div>
  );
}
