/** 照片 on the record form: the camera and the album, the photos kept on this device and those the server has. */
import { CameraOutlined, CloseOutlined, DeleteOutlined, PictureOutlined } from '@ant-design/icons';
import { Card, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { offline } from '../../../app/offline.ts';
import type { PhotoRef } from '../meeting-drafts.ts';
import type { EvidenceView } from '../shared.tsx';

/** A photo on the form: its blob's object URL while it is on this device. */
function Thumb({ clientId, photo, onRemove }: { clientId: string; photo: PhotoRef; onRemove: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let u: string | null = null;
    let alive = true;
    void offline
      .getBlob(clientId, photo.id)
      .then((b) => {
        if (b && alive) {
          u = URL.createObjectURL(b);
          setUrl(u);
        }
      })
      .catch(() => undefined);
    return () => {
      alive = false;
      if (u) URL.revokeObjectURL(u);
    };
  }, [clientId, photo.id]);
  return (
    <div className="mr-thumb" data-testid="meeting-photo">
      {url ? (
        <img src={url} alt={photo.name} />
      ) : (
        <div className="mr-thumb-empty">{photo.uploaded ? '已上传' : '照片'}</div>
      )}
      {photo.refused ? <div className="mr-thumb-bad">{photo.refused}</div> : null}
      <button type="button" className="mr-thumb-x" aria-label={`删除照片 ${photo.name}`} onClick={onRemove}>
        <CloseOutlined />
      </button>
    </div>
  );
}

export function PhotosCard({
  photos,
  draft,
  evidence,
  onAdd,
  onRemove,
  onRemoveEvidence,
}: {
  /** The draft's photos (those already sent are shown among `evidence`). */
  photos: PhotoRef[];
  /** The draft holding them, when there is one. */
  draft: { clientId: string; state: string } | null;
  /** What the server has of an edited record. */
  evidence: EvidenceView[] | undefined;
  onAdd: (files: FileList | null) => Promise<void>;
  onRemove: (p: PhotoRef) => void;
  onRemoveEvidence: (id: string, filename: string) => void;
}) {
  return (
    <Card size="small" className="mr-card" title={`照片（${photos.length + (evidence?.length ?? 0)}）`}>
      <div className="mr-photo-buttons">
        <label className="ant-btn ant-btn-default mr-file-btn">
          <CameraOutlined /> 拍照
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            onChange={(e) => void onAdd(e.target.files).then(() => (e.target.value = ''))}
            data-testid="meeting-camera"
          />
        </label>
        <label className="ant-btn ant-btn-default mr-file-btn">
          <PictureOutlined /> 从相册选择
          <input
            type="file"
            accept="image/*"
            multiple
            hidden
            onChange={(e) => void onAdd(e.target.files).then(() => (e.target.value = ''))}
            data-testid="meeting-gallery"
          />
        </label>
      </div>
      <div className="mr-thumbs">
        {evidence?.map((ev) => (
          <div key={ev.id} className="mr-thumb">
            {ev.hasThumbnail ? (
              <img src={`/api/evidence/${ev.id}/thumbnail`} alt={ev.filename} />
            ) : (
              <div className="mr-thumb-empty">{ev.filename}</div>
            )}
            <Tag className="mr-thumb-tag" color="green">
              已上传
            </Tag>
            <button
              type="button"
              className="mr-thumb-x"
              aria-label={`删除 ${ev.filename}`}
              onClick={() => onRemoveEvidence(ev.id, ev.filename)}
            >
              <DeleteOutlined />
            </button>
          </div>
        ))}
        {draft
          ? photos
              .filter((p) => !p.uploaded)
              .map((p) => <Thumb key={p.id} clientId={draft.clientId} photo={p} onRemove={() => onRemove(p)} />)
          : null}
      </div>
      {photos.some((p) => !p.uploaded) ? (
        <div className="mr-hint">
          {draft?.state === 'pending' ? '照片已保存在本机，网络恢复后自动上传。' : '照片已保存在本机，点“保存”后上传。'}
        </div>
      ) : null}
    </Card>
  );
}
